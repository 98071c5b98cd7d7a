import type { WarmContextOptions } from "./warm-contexts.js";

/** What a sandbox thread is started with (worker_threads workerData). */
export interface ThreadData {
  /** The pool's memoryBytes: sizes the thread's WebAssembly memory. */
  memoryBytes: number;
  /** How many warm contexts the thread keeps, and for how long. */
  warm: WarmContextOptions;
}
