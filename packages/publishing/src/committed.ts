import type { PublishResult } from "@hookline/db";
import type { CommittedDelivery } from "@hookline/queue";

/** The deliveries that publishes wrote (a duplicate wrote none), for the scheduler. */
export function committedDeliveries(results: readonly PublishResult[]): CommittedDelivery[] {
  return results.flatMap((result) => (result.outcome === "published" ? result.deliveries : []));
}
