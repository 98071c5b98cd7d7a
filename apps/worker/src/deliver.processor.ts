import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { errorType, type SpanAttributes } from "@hookline/core";
import type { AttemptOutcome } from "@hookline/delivery-engine";
import { JOBS, MalformedJobError, parsePayload, type DeliverPayload } from "@hookline/queue";
import type { WorkerDependencies } from "./worker.js";

/**
 * One delivery job: one attempt (see @hookline/delivery-engine), then either finish the job or
 * move it back to BullMQ's delayed set for the next attempt, so no worker slot waits out a retry
 * delay or a deferral.
 */
export async function processDelivery(job: Job, deps: WorkerDependencies, token?: string): Promise<void> {
  let payload: DeliverPayload;
  try {
    payload = parsePayload(JOBS.deliver, job.data);
  } catch (error) {
    // Never worth running again; the sweeper finds the delivery's row if it is due.
    if (error instanceof MalformedJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
  // Tracing on: a span for this run of the job, under the publish that queued it (its
  // traceparent, carried in the payload), with the attempt's span under it.
  const span = deps.tracing?.start("deliver", {
    kind: "consumer",
    parent: payload.traceparent,
    attributes: {
      "messaging.system": "bullmq",
      "messaging.operation.type": "process",
      "messaging.destination.name": JOBS.deliver.queue,
      "messaging.message.id": job.id,
      "hookline.webhook.id": payload.deliveryId,
    },
  });
  let attempt: AttemptOutcome;
  try {
    attempt = await deps.engine.attempt(payload.deliveryId, span && { parent: span });
  } catch (error) {
    span?.fail(errorType(error));
    span?.end();
    throw error;
  }
  span?.set(jobAttributes(attempt));
  span?.end();
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

function jobAttributes(attempt: AttemptOutcome): SpanAttributes {
  return {
    "hookline.job.outcome": attempt.outcome,
    ...(attempt.outcome === "skipped" && { "hookline.job.skipped": attempt.reason }),
    ...(attempt.outcome === "deferred" && { "hookline.job.deferred_ms": attempt.delayMs }),
  };
}
