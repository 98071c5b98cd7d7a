import type { BuiltinEventType } from "@hookline/core";
import { tenantScope } from "@hookline/db";
import type { WorkerDependencies } from "./worker.js";

/**
 * Operational events are published by the engine itself, through the same path as a tenant's
 * own events: they reach the tenant's endpoints subscribed to them (for example `endpoint.*`).
 */
export async function publishOperationalEvent(
  deps: Pick<WorkerDependencies, "db" | "queue" | "logger">,
  tenantId: string,
  eventType: BuiltinEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const result = await tenantScope(deps.db.prisma, tenantId).events.publish({ eventType, data });
  if (result.outcome !== "published") return;
  const due = result.deliveries.filter((d) => d.status === "pending").map((d) => d.id);
  try {
    await deps.queue.enqueue(due);
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, event_id: result.event.id }, "enqueue of operational event failed; the sweeper will pick it up");
  }
}
