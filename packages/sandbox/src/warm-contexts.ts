import type { PreparedContext } from "./prepared-context.js";

/** How many warm contexts a thread keeps, and for how long. */
export interface WarmContextOptions {
  /** Warm contexts per thread, least recently used evicted first (default 8). 0: every invocation gets a fresh context. */
  perThread: number;
  /** A warm context unused for this long (ms) is disposed (default 60,000). */
  idleMs: number;
  /** A context that has served this many invocations is disposed after the last one (default 10,000). */
  maxUses: number;
}

export const DEFAULT_WARM_CONTEXT_OPTIONS: WarmContextOptions = Object.freeze({ perThread: 8, idleMs: 60_000, maxUses: 10_000 });

/** What a thread holds warm: one tenant's contexts at most. The pool schedules with it. */
export interface WarmState {
  tenantId: string | null;
  codeKeys: string[];
}

/** A context an invocation ran in, with what it is warm for. */
export interface WarmEntry {
  context: PreparedContext;
  codeKey: string;
  /** The module evaluated in it: a codeKey is only reused for the very same code. */
  js: string;
  /** Invocations it has served. */
  uses: number;
  lastUsedAt: number;
}

export function warmContextOptions(given: Partial<WarmContextOptions> | undefined): WarmContextOptions {
  const options = { ...DEFAULT_WARM_CONTEXT_OPTIONS, ...given };
  const integer = (value: unknown, min: number): boolean => typeof value === "number" && Number.isInteger(value) && value >= min;
  if (!integer(options.perThread, 0)) throw new TypeError("SandboxPool: warmContexts.perThread must be an integer >= 0");
  if (!integer(options.idleMs, 1)) throw new TypeError("SandboxPool: warmContexts.idleMs must be a positive integer");
  if (!integer(options.maxUses, 1)) throw new TypeError("SandboxPool: warmContexts.maxUses must be a positive integer");
  return { perThread: options.perThread, idleMs: options.idleMs, maxUses: options.maxUses };
}

/**
 * One thread's warm contexts: runtimes and contexts in which an invocation of a workflow ended
 * cleanly, kept for the next invocation of the same tenant and code (codeKey, and the same js).
 *
 * Tenant affinity: all the contexts belong to one tenant. `take` for another tenant disposes every
 * one of them first, so that nothing of one tenant is observable by, or takes memory from, another:
 * the thread's WebAssembly memory holds one tenant's retained state at most, plus the running
 * invocation's. Bounded: at most `perThread` contexts (least recently used evicted), none idle
 * longer than `idleMs`, none serving more than `maxUses` invocations.
 */
export class WarmContexts {
  private tenantId: string | null = null;
  /** By codeKey, least recently used first (a Map keeps insertion order). */
  private readonly entries = new Map<string, WarmEntry>();

  constructor(
    private readonly options: WarmContextOptions,
    /** Frees a context (its runtime and everything in it). */
    private readonly dispose: (context: PreparedContext) => void,
  ) {}

  /**
   * Called before every invocation. Disposes the contexts of any other tenant, and those past their
   * idle time; returns the warm context for this code, taken out of the cache while it runs, or
   * undefined when the invocation must start in a fresh context.
   */
  take(tenantId: string, codeKey: string, js: string, now: number): WarmEntry | undefined {
    if (this.tenantId !== tenantId) this.clear();
    this.tenantId = tenantId;
    this.sweep(now);
    const entry = this.entries.get(codeKey);
    if (entry === undefined) return undefined;
    this.entries.delete(codeKey);
    if (entry.js !== js) {
      // The caller promised a codeKey per code version; hold it to that rather than run other code's realm.
      this.dispose(entry.context);
      return undefined;
    }
    return entry;
  }

  /**
   * Called after an invocation that ended cleanly in `context`: keeps it as the most recently used,
   * unless it has served maxUses invocations, and evicts the least recently used beyond perThread.
   */
  keep(tenantId: string, codeKey: string, js: string, context: PreparedContext, uses: number, now: number): void {
    if (this.tenantId !== tenantId) this.clear();
    this.tenantId = tenantId;
    if (uses >= this.options.maxUses || this.options.perThread === 0) {
      this.dispose(context);
      return;
    }
    const previous = this.entries.get(codeKey);
    if (previous !== undefined) {
      this.entries.delete(codeKey);
      if (previous.context !== context) this.dispose(previous.context);
    }
    this.entries.set(codeKey, { context, codeKey, js, uses, lastUsedAt: now });
    for (const [key, oldest] of this.entries) {
      if (this.entries.size <= this.options.perThread) break;
      this.entries.delete(key);
      this.dispose(oldest.context);
    }
  }

  /** Disposes the contexts idle for longer than idleMs; true when it disposed any. */
  sweep(now: number): boolean {
    let disposed = false;
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUsedAt <= this.options.idleMs) continue;
      this.entries.delete(key);
      this.dispose(entry.context);
      disposed = true;
    }
    if (this.entries.size === 0) this.tenantId = null;
    return disposed;
  }

  /** Disposes every context. */
  clear(): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.tenantId = null;
    for (const entry of entries) this.dispose(entry.context);
  }

  /** Drops every context without disposing it: its WebAssembly module is being discarded with everything in it. */
  forget(): void {
    this.entries.clear();
    this.tenantId = null;
  }

  get size(): number {
    return this.entries.size;
  }

  get state(): WarmState {
    return { tenantId: this.entries.size === 0 ? null : this.tenantId, codeKeys: [...this.entries.keys()] };
  }
}
