import { setPriority } from "node:os";
import { thisThreadId } from "./thread-clock.js";

/**
 * How much lower than the API's own threads a sandbox thread is scheduled (a nice value, 0–19).
 * Tenant code then only gets the CPU time the control plane and the event loop do not want: a
 * tenant whose workflows spin until their CPU limit slows its own calls, not the API's answers.
 */
export const SANDBOX_THREAD_NICENESS = 10;

/**
 * Lowers the calling thread's scheduling priority. On Linux a thread has an id of its own
 * (`/proc/thread-self` names it) and setpriority takes it, changing that thread only. Elsewhere,
 * or without the rights, nothing changes and false is returned.
 */
export function lowerThisThreadsPriority(niceness: number): boolean {
  try {
    const threadId = thisThreadId();
    if (threadId === null) return false;
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}
