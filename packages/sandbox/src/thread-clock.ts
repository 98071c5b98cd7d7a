import { readFileSync, readlinkSync } from "node:fs";

/**
 * Per-thread CPU clocks. Node 20 has none (process.cpuUsage() counts every thread, and
 * process.threadCpuUsage() arrived in Node 23), but Linux keeps one for every thread: the first
 * field of /proc/<pid>/task/<tid>/schedstat is the nanoseconds the thread has spent on a CPU.
 * It is brought up to date at the thread's scheduler ticks and switches, so a reading can lag by a
 * tick (Budget allows for it). Reading it costs about 13 µs here, so callers read it rarely. Where it cannot be
 * read (not Linux, a /proc without schedstat), the clocks are null and callers fall back to
 * wall-clock time, which can only overstate CPU time.
 */
export type CpuClock = () => number | null;

function readSchedstatMs(path: string): number | null {
  try {
    const nanoseconds = Number(readFileSync(path, "latin1").split(" ", 1)[0]);
    return Number.isFinite(nanoseconds) && nanoseconds >= 0 ? nanoseconds / 1e6 : null;
  } catch {
    return null;
  }
}

function clockAt(path: string): CpuClock | null {
  // A thread that is running has run: kernels that keep no schedstat print zeros, which is no clock.
  const first = readSchedstatMs(path);
  return first === null || first === 0 ? null : () => readSchedstatMs(path);
}

/** The kernel's id of the calling thread (Linux), or null. */
export function thisThreadId(): number | null {
  try {
    const id = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

/** The calling thread's own CPU clock (ms), or null where there is none. */
export function thisThreadCpuClock(): CpuClock | null {
  return clockAt("/proc/thread-self/schedstat");
}

/** The CPU clock (ms) of another thread of this process, by its kernel id, or null. */
export function threadCpuClock(threadId: number): CpuClock | null {
  return clockAt(`/proc/self/task/${threadId}/schedstat`);
}
