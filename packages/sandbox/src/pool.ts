import { FairQueue } from "./fair-queue.js";
import { assertPoolLimits, resolveLimits, type SandboxLimits } from "./limits.js";
import { invocationShape, type InvocationShape } from "./invocation-shape.js";
import { SandboxThread } from "./sandbox-thread.js";
import type { CompileProblem, Invocation, InvocationResult, SandboxLogger, SandboxPoolOptions } from "./types.js";
import { warmContextOptions } from "./warm-contexts.js";

/** Checks share the queue under a key no tenant id can take (ids never contain NUL). */
const CHECK_KEY = "\u0000check";

type Job =
  | { kind: "run"; invocation: Invocation; shape: InvocationShape; resolve: (result: InvocationResult) => void }
  | { kind: "check"; js: string; resolve: (problems: CompileProblem[]) => void };

const busy = (message: string): InvocationResult => ({
  outcome: "busy",
  error: { name: "BusyError", message },
  logs: [],
  logsTruncated: false,
  publishedEventIds: [],
  durationMs: 0,
  cpuMs: 0,
});

/**
 * Runs workflows in a pool of worker threads, each with its own QuickJS WebAssembly module.
 * Tenant code never runs in this thread: an endless loop costs a sandbox thread, not the API.
 */
export class SandboxPool {
  private readonly threads: SandboxThread[] = [];
  private readonly queue: FairQueue<Job>;
  private readonly limits: SandboxLimits;
  private readonly logger: SandboxLogger | undefined;
  private readonly settled = new Set<Promise<unknown>>();
  private readonly preferWarm: boolean;
  private closed = false;

  constructor(options: SandboxPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new TypeError("SandboxPool: threads must be a positive integer");
    assertPoolLimits(options.limits);
    this.limits = { ...options.limits };
    this.logger = options.logger;
    const maxPerTenant = options.maxPerTenant ?? Math.ceil(options.threads / 2);
    const maxQueued = options.maxQueuedPerTenant ?? 100;
    if (!Number.isInteger(maxPerTenant) || maxPerTenant < 1) throw new TypeError("SandboxPool: maxPerTenant must be a positive integer");
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new TypeError("SandboxPool: maxQueuedPerTenant must be an integer >= 0");
    this.queue = new FairQueue<Job>(maxPerTenant, maxQueued);
    const warm = warmContextOptions(options.warmContexts);
    this.preferWarm = options.preferWarmThreads ?? true;
    for (let i = 0; i < options.threads; i++) {
      this.threads.push(new SandboxThread(this.limits.memoryBytes, warm, this.logger, () => this.dispatch()));
    }
  }

  /**
   * Never rejects for anything tenant code does; "busy" when the tenant already has maxQueuedPerTenant
   * waiting. Rejects with a TypeError for the caller's own mistakes: an unknown kind, or a context
   * that is not a JSON object or sets request, env or utils.
   */
  run(invocation: Invocation): Promise<InvocationResult> {
    let shape: InvocationShape;
    try {
      shape = invocationShape(invocation);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (this.closed) return Promise.resolve(busy("the sandbox pool is closed"));
    return new Promise((resolve) => {
      const accepted = this.queue.push(invocation.tenantId, { kind: "run", invocation, shape, resolve });
      if (!accepted) {
        resolve(busy("too many invocations of this tenant are waiting (maxQueuedPerTenant)"));
        return;
      }
      this.dispatch();
    });
  }

  /** QuickJS's own compile-only syntax check of compileWorkflow's output, as a module; none of it runs. */
  check(js: string): Promise<CompileProblem[]> {
    if (this.closed) return Promise.reject(new Error("SandboxPool is closed"));
    return new Promise((resolve) => {
      this.queue.push(CHECK_KEY, { kind: "check", js, resolve });
      this.dispatch();
    });
  }

  /** Stops taking work, answers waiting invocations "busy", lets running ones finish, then ends the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.drain()) {
      if (job.kind === "run") job.resolve(busy("the sandbox pool was closed"));
      else job.resolve([{ message: "the sandbox pool was closed", line: 1, column: 1 }]);
    }
    await Promise.all([...this.settled]);
    await Promise.all(this.threads.map((thread) => thread.close()));
  }

  /** The fair queue picks the job (round-robin over tenants, maxPerTenant); then the job picks among the free threads. */
  private dispatch(): void {
    if (this.closed) return;
    for (;;) {
      const idle = this.threads.filter((thread) => thread.idle);
      if (idle.length === 0) return;
      const next = this.queue.next();
      if (next === undefined) return;
      const thread = this.pick(idle, next.item);
      const tracked = this.runOn(thread, next.key, next.item).finally(() => {
        this.settled.delete(tracked);
        this.dispatch();
      });
      this.settled.add(tracked);
    }
  }

  /**
   * The free thread for a job: one warm for its tenant and code; else one warm for its tenant; else
   * one that holds nothing warm; else the one that has been free longest (its tenant is the least
   * likely to come back soon). Taking a thread warm for another tenant costs that tenant its contexts.
   */
  private pick(idle: SandboxThread[], job: Job): SandboxThread {
    const first = idle[0] as SandboxThread;
    if (!this.preferWarm || idle.length === 1) return first;
    const score = (thread: SandboxThread): number => {
      const { tenantId, codeKeys } = thread.warm;
      if (job.kind === "check") return tenantId === null ? 1 : 0;
      if (tenantId === job.invocation.tenantId) return codeKeys.includes(job.invocation.codeKey) ? 3 : 2;
      return tenantId === null ? 1 : 0;
    };
    let best = first;
    let bestScore = score(first);
    for (const thread of idle.slice(1)) {
      const candidate = score(thread);
      if (candidate > bestScore || (candidate === bestScore && candidate === 0 && thread.lastFinishedAt < best.lastFinishedAt)) {
        best = thread;
        bestScore = candidate;
      }
    }
    return best;
  }

  /** Frees the tenant's running slot before its caller hears the result, so a follow-up call is not held back by it. */
  private async runOn(thread: SandboxThread, key: string, job: Job): Promise<void> {
    if (job.kind === "check") {
      const problems = await thread.check(job.js);
      this.queue.done(key);
      job.resolve(problems);
      return;
    }
    const result = await thread.run(job.invocation, job.shape, resolveLimits(this.limits, job.invocation.limits));
    this.queue.done(key);
    job.resolve(result);
  }
}

/**
 * A pool whose threads start with its first invocation or check, not when it is made: a process
 * that never runs tenant code (most test files, an API with no inbound traffic yet) never pays
 * for the threads and their WebAssembly memories.
 */
export function lazySandboxPool(options: SandboxPoolOptions): Pick<SandboxPool, "run" | "check" | "close"> {
  let pool: SandboxPool | undefined;
  const started = () => (pool ??= new SandboxPool(options));
  return {
    run: (invocation) => started().run(invocation),
    check: (js) => started().check(js),
    close: async () => pool?.close(),
  };
}
