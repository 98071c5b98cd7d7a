/**
 * The CPU and wall-clock budget of one invocation. Node 20 has no per-thread CPU clock in worker
 * threads (process.cpuUsage() counts the whole process), so "CPU" is the wall-clock time spent
 * inside the interpreter: every call into QuickJS is a slice, and only slices are counted. Time
 * spent awaiting host calls is not. On a loaded machine a preempted slice counts too, so the
 * measure errs on the side of stopping code early, never late.
 */
export type Exceeded = "cpu" | "wall";

export class Budget {
  private usedMs = 0;
  private sliceStart = -1;
  /** What made the interrupt handler stop the code first, if it did. */
  interrupted: Exceeded | null = null;

  constructor(
    private readonly cpuMs: number,
    private readonly wallDeadline: number,
    private readonly now: () => number,
  ) {}

  /** Runs one call into the interpreter as a counted slice. */
  slice<T>(fn: () => T): T {
    const outer = this.sliceStart >= 0; // host functions may call back into QuickJS: count once
    if (!outer) this.sliceStart = this.now();
    try {
      return fn();
    } finally {
      if (!outer) {
        this.usedMs += this.now() - this.sliceStart;
        this.sliceStart = -1;
      }
    }
  }

  get spentMs(): number {
    return this.usedMs + (this.sliceStart >= 0 ? this.now() - this.sliceStart : 0);
  }

  exceeded(): Exceeded | null {
    if (this.spentMs > this.cpuMs) return "cpu";
    if (this.now() > this.wallDeadline) return "wall";
    return null;
  }

  /** QuickJS's interrupt handler: called every few thousand bytecode steps while code runs. */
  readonly shouldInterrupt = (): boolean => {
    if (this.sliceStart < 0) return false;
    const why = this.exceeded();
    if (why === null) return false;
    this.interrupted ??= why;
    return true;
  };
}
