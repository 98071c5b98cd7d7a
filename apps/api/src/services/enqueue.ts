import type { Logger } from "@hookline/core";
import type { PublishResult } from "@hookline/db";
import { PRODUCER_COMMAND_TIMEOUT_MS, type DeliveryQueue } from "@hookline/queue";

/**
 * Enqueues committed deliveries. A failure here loses nothing: the rows are in Postgres and due,
 * and the worker's sweeper enqueues due deliveries that have no job. So the request still
 * succeeds, within about a second even when Redis is unreachable, and the failure is logged.
 */
export async function enqueueCommitted(
  queue: DeliveryQueue,
  logger: Logger,
  deliveryIds: readonly string[],
  faults: { enqueueFailureRate: number } = { enqueueFailureRate: 0 },
): Promise<void> {
  if (deliveryIds.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    if (faults.enqueueFailureRate > 0 && Math.random() < faults.enqueueFailureRate)
      throw new Error("injected enqueue failure (test configuration)");
    await Promise.race([
      queue.enqueue(deliveryIds),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("enqueue timed out")), PRODUCER_COMMAND_TIMEOUT_MS + 250);
      }),
    ]);
  } catch (error) {
    logger.error({ err: (error as Error).message, deliveries: deliveryIds.length }, "enqueue failed; the sweeper will pick these up");
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Enqueues what publishing made due: the pending deliveries of asynchronous endpoints (the API
 * makes a synchronous endpoint's first attempt itself, and held deliveries wait for a resume).
 */
export function enqueuePublished(
  queue: DeliveryQueue,
  logger: Logger,
  results: readonly PublishResult[],
  faults: { enqueueFailureRate: number } = { enqueueFailureRate: 0 },
): Promise<void> {
  const due = results.flatMap((r) =>
    r.outcome === "published" ? r.deliveries.filter((d) => d.status === "pending" && !d.synchronous).map((d) => d.id) : [],
  );
  return enqueueCommitted(queue, logger, due, faults);
}
