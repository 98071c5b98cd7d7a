import type { TraceSpan, Tracing } from "@hookline/core";
import type { PublishResult } from "@hookline/db";
import type { CommittedDelivery, Publisher, Scheduler } from "@hookline/queue";

/** The deliveries that publishes wrote (a duplicate wrote none), for the scheduler. */
export function committedDeliveries(results: readonly PublishResult[]): CommittedDelivery[] {
  return results.flatMap((result) => (result.outcome === "published" ? result.deliveries : []));
}

/** What one publish wrote, and its span (none: the publish was not traced). */
export interface TracedPublish {
  readonly deliveries: readonly CommittedDelivery[];
  readonly trace: TraceSpan | undefined;
}

/**
 * Schedules what traced publishes wrote, with tracing on: each delivery's job carries its
 * publish's traceparent, and each traced publish gets an `enqueue` span over the one bulk add its
 * deliveries share with the others of its group.
 */
export async function scheduleTraced(
  scheduler: Scheduler,
  tracing: Tracing,
  publishes: readonly TracedPublish[],
  publisher: Publisher,
): Promise<void> {
  const deliveries: CommittedDelivery[] = [];
  const enqueues: TraceSpan[] = [];
  for (const { deliveries: written, trace } of publishes) {
    if (!trace) {
      deliveries.push(...written);
      continue;
    }
    const traceparent = trace.traceparent();
    for (const delivery of written) deliveries.push({ ...delivery, traceparent });
    enqueues.push(
      tracing.start("enqueue", {
        kind: "client",
        parent: trace,
        attributes: {
          "messaging.system": "bullmq",
          "messaging.destination.name": "deliveries",
          "hookline.deliveries": written.length,
          "hookline.group.publishes": publishes.length,
        },
      }),
    );
  }
  const queued = await scheduler.published(deliveries, publisher);
  for (const span of enqueues) {
    // The rows are committed and due: the sweeper enqueues them later (see Scheduler).
    if (!queued) span.fail("enqueue_failed");
    span.end();
  }
}
