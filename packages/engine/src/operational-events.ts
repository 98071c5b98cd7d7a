import type { BuiltinEventType, Logger } from "@hookline/core";
import { tenantScope, type Database } from "@hookline/db";
import type { DeliveryQueue } from "@hookline/queue";

/**
 * Operational events are published by the engine itself, through the same path as a tenant's
 * own events: they reach the tenant's endpoints subscribed to them (for example `endpoint.*`).
 */
export async function publishOperationalEvent(
  deps: { readonly db: Database; readonly queue: DeliveryQueue; readonly logger: Logger },
  tenantId: string,
  eventType: BuiltinEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const result = await tenantScope(deps.db, tenantId).events.publish({ eventType, data, origin: "hookline" });
  if (result.outcome !== "published") return;
  const due = result.deliveries.filter((d) => d.status === "pending").map((d) => d.id);
  try {
    await deps.queue.enqueue(due);
  } catch (error) {
    deps.logger.warn(
      { err: (error as Error).message, event_id: result.event.id },
      "enqueue of operational event failed; the sweeper will pick it up",
    );
  }
}
