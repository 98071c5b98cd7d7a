/** What one invocation of a workflow may use. */
export interface SandboxLimits {
  /** Time spent running tenant code per invocation (ms), not counting awaited host calls. */
  cpuMs: number;
  /** The whole invocation, awaited host calls included (ms). */
  wallMs: number;
  /**
   * QuickJS heap (bytes), at least 16 MiB. Enforced by the size of each thread's WebAssembly memory,
   * so only the pool's value counts: an invocation cannot change it.
   */
  memoryBytes: number;
  /** QuickJS stack (bytes), at most MAX_STACK_BYTES. */
  stackBytes: number;
  /** Execution log kept (bytes of UTF-8); what comes after is dropped behind a marker line. */
  logBytes: number;
  /** Largest response body (bytes). */
  responseBytes: number;
  /** utils.fetch calls per invocation. */
  fetchCount: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  cpuMs: 50,
  wallMs: 5000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 256 * 1024,
  logBytes: 64 * 1024,
  responseBytes: 5 * 1024 * 1024,
  fetchCount: 10,
});

/**
 * The largest QuickJS stack an invocation may ask for. Deep QuickJS recursion is deep WebAssembly
 * recursion, which also uses the thread's own (V8) stack; if that overflows first, the exception
 * unwinds through the interpreter and leaves it half-way. Measured with the 8 MiB thread stack the
 * pool gives its threads: a 2 MiB QuickJS stack still ended in QuickJS's own "stack overflow"
 * (11,913 frames of a one-line function); with a 4 MiB thread stack, 2 MiB did not. 1 MiB leaves
 * room. (In a main thread's ~1 MiB V8 stack, 512 KiB already failed.)
 */
export const MAX_STACK_BYTES = 1024 * 1024;
const MIN_STACK_BYTES = 32 * 1024;
/** The QuickJS module's WebAssembly memory starts at 16 MiB: a smaller cap cannot be had. */
export const MIN_MEMORY_BYTES = 16 * 1024 * 1024;

const positiveInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value > 0;

/**
 * The limits one invocation runs under: the pool's, overridden field by field by the invocation's.
 * memoryBytes is the pool's alone: it is enforced by the size of each thread's WebAssembly memory,
 * made once per thread. The stack may only be lowered, and is held under MAX_STACK_BYTES.
 */
export function resolveLimits(pool: SandboxLimits, override: Partial<SandboxLimits> | undefined): SandboxLimits {
  const pick = (key: keyof SandboxLimits): number => {
    const value = override?.[key];
    return positiveInteger(value) ? value : pool[key];
  };
  return {
    cpuMs: pick("cpuMs"),
    wallMs: pick("wallMs"),
    memoryBytes: pool.memoryBytes,
    stackBytes: Math.max(MIN_STACK_BYTES, Math.min(pick("stackBytes"), pool.stackBytes, MAX_STACK_BYTES)),
    logBytes: pick("logBytes"),
    responseBytes: pick("responseBytes"),
    fetchCount: override?.fetchCount === 0 ? 0 : pick("fetchCount"),
  };
}

/** Checks the pool's own limits once, at construction, so that a typo fails loudly rather than per call. */
export function assertPoolLimits(limits: SandboxLimits): void {
  for (const key of Object.keys(DEFAULT_SANDBOX_LIMITS) as (keyof SandboxLimits)[]) {
    const value = limits[key];
    if (!(positiveInteger(value) || (key === "fetchCount" && value === 0))) {
      throw new TypeError(`SandboxLimits.${key} must be a positive integer, got ${String(value)}`);
    }
  }
  if (limits.memoryBytes < MIN_MEMORY_BYTES) throw new TypeError(`SandboxLimits.memoryBytes must be at least ${MIN_MEMORY_BYTES}`);
}
