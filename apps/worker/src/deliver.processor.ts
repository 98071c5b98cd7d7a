import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { JOBS, MalformedJobError, parsePayload } from "@hookline/queue";
import type { WorkerDependencies } from "./worker.js";

/**
 * One delivery job: one attempt (see @hookline/delivery-engine), then either finish the job or
 * move it back to BullMQ's delayed set for the next attempt, so no worker slot waits out a retry
 * delay or a deferral.
 */
export async function processDelivery(job: Job, deps: WorkerDependencies, token?: string): Promise<void> {
  let deliveryId: string;
  try {
    ({ deliveryId } = parsePayload(JOBS.deliver, job.data));
  } catch (error) {
    // Never worth running again; the sweeper finds the delivery's row if it is due.
    if (error instanceof MalformedJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
  const attempt = await deps.engine.attempt(deliveryId);
  if (attempt.outcome === "deferred") {
    // Not an attempt: the endpoint has all the slots it may have; the job waits its turn.
    await job.moveToDelayed(Date.now() + attempt.delayMs, token);
    throw new DelayedError();
  }
  if (attempt.outcome === "attempted" && attempt.recorded && attempt.next.status === "pending") {
    await job.moveToDelayed(attempt.next.nextAttemptAt.getTime(), token);
    throw new DelayedError();
  }
}
