import type { Logger } from "@hookline/core";
import type { DeliveryQueue } from "@hookline/queue";

/**
 * Enqueues committed deliveries. A failure here loses nothing: the rows are in Postgres and due,
 * and the worker's sweeper enqueues due deliveries that have no job. So the request still
 * succeeds, and the failure is logged.
 */
export async function enqueueCommitted(queue: DeliveryQueue, logger: Logger, deliveryIds: readonly string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  try {
    await queue.enqueue(deliveryIds);
  } catch (error) {
    logger.error({ err: (error as Error).message, deliveries: deliveryIds.length }, "enqueue failed; the sweeper will pick these up");
  }
}
