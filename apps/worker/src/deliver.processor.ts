import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { attemptDelivery } from "@hookline/engine";
import { parseDeliverJob } from "@hookline/queue";
import type { WorkerDependencies } from "./worker.js";

/**
 * One delivery job: one attempt (see @hookline/engine), then either finish the job or move it
 * back to BullMQ's delayed set for the next attempt, so no worker slot waits out a retry delay.
 */
export async function processDelivery(job: Job, deps: WorkerDependencies, token?: string): Promise<void> {
  const payload = parseDeliverJob(job.data);
  if (!payload) throw new UnrecoverableError("malformed delivery job");
  const attempt = await attemptDelivery(deps, payload.deliveryId, deps.gate);
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
