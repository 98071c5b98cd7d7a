import type { BuiltinEventType } from "@hookline/core";

/*
 * The ports of the delivery engine: what it needs from the world, as small interfaces that the
 * processes wire to Postgres and Redis. The engine holds no database, no queue and no
 * configuration of its own. The records that cross the work store live in @hookline/core
 * (delivery-work.ts), the vocabulary the store's Postgres adapter speaks too.
 */
export type { AttemptConsequence, AttemptRecord, DeliveryWork, HealthChange, RecordedAttempt, WorkStore } from "@hookline/core";

/** Publishes the engine's own events (built-in types) to the tenant's subscribed endpoints. */
export interface OperationalEvents {
  publish(tenantId: string, eventType: BuiltinEventType, data: Record<string, unknown>): Promise<void>;
}

/** The queue, as far as the engine needs it: deliveries put off by the gate, made due now. */
export interface WaitingDeliveries {
  expedite(deliveryIds: readonly string[]): Promise<void>;
}
