import type { CpuClock } from "./thread-clock.js";

/**
 * The CPU and wall-clock budget of one invocation.
 *
 * CPU time is the thread's own CPU clock (thread-clock.ts) from the start of the invocation: what
 * the tenant's code, its host functions and the interpreter around them used. Reading that clock
 * costs a system call, too much for QuickJS's interrupt handler, which polls every few thousand
 * bytecode steps. So the budget also times every call into the interpreter (a slice) by the wall
 * clock, which is cheap, and reads the CPU clock only when the slices' wall time has passed the
 * point at which the CPU time could first be over: a thread cannot use more CPU than the wall time
 * it ran for. After a reading below the limit, the next one is due once the slices have run for
 * what was left. On a loaded machine (sandbox threads run at a low priority, and a preempted slice
 * is wall time, not CPU time) code is therefore stopped for what it used, not for how long it
 * waited for a CPU. Without a CPU clock, the slices' wall time stands in for CPU time.
 *
 * The kernel brings a thread's clock up to date only at its scheduler ticks and switches, so a
 * reading can lag the truth by up to a tick (4 ms measured here; 10 ms at the lowest common HZ).
 * CPU time is therefore taken as the lesser of two upper bounds: the slices' wall time, and the
 * clock plus a tick. A thread that was not preempted is measured to the microsecond (its slices),
 * one that waited is charged what the clock says and a tick more, so code is stopped early by at
 * most a tick, never late.
 */
export type Exceeded = "cpu" | "wall";

/** The least slice time between two readings of the CPU clock, so that a budget nearly spent is not read at every poll. */
const MIN_READING_STEP_MS = 0.5;
/** How far a reading of the thread's CPU clock may lag the truth: a scheduler tick at HZ=100. */
export const CLOCK_LAG_MS = 10;

export class Budget {
  private slicedMs = 0;
  private sliceStart = -1;
  /** The thread's CPU clock when the budget started (ms), or null without one. */
  readonly cpuAtStart: number | null;
  /** Slice time after which the CPU clock must be read again. */
  private nextReadingAt: number;
  /** What made the interrupt handler stop the code first, if it did. */
  interrupted: Exceeded | null = null;

  constructor(
    private readonly cpuMs: number,
    private readonly wallDeadline: number,
    private readonly now: () => number,
    private readonly cpuClock: CpuClock | null = null,
  ) {
    this.cpuAtStart = cpuClock?.() ?? null;
    this.nextReadingAt = cpuMs;
  }

  /** Runs one call into the interpreter as a counted slice. */
  slice<T>(fn: () => T): T {
    const outer = this.sliceStart >= 0; // host functions may call back into QuickJS: count once
    if (!outer) this.sliceStart = this.now();
    try {
      return fn();
    } finally {
      if (!outer) {
        this.slicedMs += this.now() - this.sliceStart;
        this.sliceStart = -1;
      }
    }
  }

  /** Wall time spent inside the interpreter so far. */
  private get slicedSoFarMs(): number {
    return this.slicedMs + (this.sliceStart >= 0 ? this.now() - this.sliceStart : 0);
  }

  /** CPU time the thread used since the invocation began, or null without a CPU clock. */
  private cpuUsedMs(): number | null {
    if (this.cpuAtStart === null || this.cpuClock === null) return null;
    const reading = this.cpuClock();
    return reading === null ? null : Math.max(0, reading - this.cpuAtStart);
  }

  /** CPU time spent, as the lesser of its two upper bounds (see above): what a result reports. */
  get spentMs(): number {
    const sliced = this.slicedSoFarMs;
    const cpu = this.cpuUsedMs();
    return cpu === null ? sliced : Math.min(sliced, cpu + CLOCK_LAG_MS);
  }

  exceeded(): Exceeded | null {
    const sliced = this.slicedSoFarMs;
    if (sliced > this.nextReadingAt) {
      const cpu = this.cpuUsedMs();
      if (cpu === null || cpu + CLOCK_LAG_MS > this.cpuMs) return "cpu";
      this.nextReadingAt = sliced + Math.max(this.cpuMs - cpu - CLOCK_LAG_MS, MIN_READING_STEP_MS);
    }
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
