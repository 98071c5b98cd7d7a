import type { WarmContextOptions } from "./warm-contexts.js";

/** What a sandbox thread is started with (worker_threads workerData). */
export interface ThreadData {
  /** The pool's memoryBytes: sizes the thread's WebAssembly memory. */
  memoryBytes: number;
  /** How many warm contexts the thread keeps, and for how long. */
  warm: WarmContextOptions;
  /**
   * One int64 (BigInt64Array, Atomics) the thread writes when an invocation's budget starts: its
   * CPU clock then, in microseconds, or -1 without one. The pool's watchdog reads it only when it
   * is about to act, so an ordinary invocation costs the main thread no clock reading at all.
   */
  cpuAtStart: SharedArrayBuffer;
}
