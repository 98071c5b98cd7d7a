import { eventTypeCandidates, newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { type Delivery, type Event } from "../generated/prisma/client.js";

export type { Event } from "../generated/prisma/client.js";

export interface NewEvent {
  readonly eventType: string;
  readonly data: unknown;
  readonly objectId?: string | undefined;
  readonly idempotencyKey?: string | undefined;
  /** Where the event came from; `api` by default. Endpoints that ignore the API skip `api` events. */
  readonly origin?: string | undefined;
}

export interface PublishOptions {
  /** How long an idempotency key keeps answering with its first event. */
  readonly idempotencyWindowMs: number;
}

/** Thrown inside the transaction to roll it back when another event holds the key. */
class KeyTaken extends Error {}

export type PublishResult =
  | {
      readonly outcome: "published";
      readonly event: Event;
      /** `synchronous`: the endpoint is a synchronous webhook, which the publisher waits for. */
      readonly deliveries: readonly (Pick<Delivery, "id" | "status" | "endpointId"> & { synchronous: boolean })[];
    }
  | { readonly outcome: "duplicate"; readonly event: Event; readonly deliveryCount: number };

export type EventWithDeliveries = Event & { deliveries: Delivery[] };

/**
 * Publishing, bound to one tenant. The event and one delivery per subscribed endpoint are written
 * in one transaction; the caller enqueues the pending ones only after it commits, so a job never
 * points at a row that does not exist.
 */
export function eventRepository(prisma: PrismaClient, tenantId: string) {
  async function existing(idempotencyKey: string): Promise<PublishResult | undefined> {
    const claim = await prisma.idempotencyKey.findUnique({ where: { tenantId_key: { tenantId, key: idempotencyKey } } });
    if (!claim || claim.expiresAt.getTime() <= Date.now()) return undefined;
    const event = await prisma.event.findFirst({ where: { id: claim.eventId, tenantId } });
    if (!event) return undefined;
    const deliveryCount = await prisma.delivery.count({ where: { eventId: event.id } });
    return { outcome: "duplicate", event, deliveryCount };
  }

  return {
    /**
     * Stores the event and its deliveries. With an idempotency key, the key is claimed in the
     * same transaction: a concurrent request with the same key waits on the key's row and then
     * finds it taken, so exactly one event is created per key and window.
     */
    async publish(input: NewEvent, options: PublishOptions = { idempotencyWindowMs: 24 * 3600_000 }): Promise<PublishResult> {
      const key = input.idempotencyKey;
      if (key !== undefined) {
        const found = await existing(key);
        if (found) return found;
      }
      const eventId = newId("event");
      try {
        return await prisma.$transaction(async (tx) => {
          if (key !== undefined) {
            const claimed = await tx.$queryRaw<{ event_id: string }[]>`
              INSERT INTO idempotency_keys (tenant_id, key, event_id, expires_at)
              VALUES (${tenantId}, ${key}, ${eventId}, now() + make_interval(secs => ${options.idempotencyWindowMs / 1000}::float8))
              ON CONFLICT (tenant_id, key) DO UPDATE
                SET event_id = EXCLUDED.event_id, expires_at = EXCLUDED.expires_at, created_at = now()
                WHERE idempotency_keys.expires_at <= now()
              RETURNING event_id`;
            if (claimed.length === 0) throw new KeyTaken();
          }
          const event = await tx.event.create({
            data: {
              id: eventId,
              tenantId,
              eventType: input.eventType,
              data: input.data as Prisma.InputJsonValue,
              objectId: input.objectId ?? null,
              idempotencyKey: key ?? null,
              origin: input.origin ?? "api",
            },
          });
          // One delivery per endpoint, however many of its subscriptions match. Inactive endpoints
          // get nothing; endpoints that ignore the API get nothing that came from it.
          const endpoints = await tx.$queryRaw<{ id: string; status: string; asynchronous: boolean }[]>`
            SELECT DISTINCT e.id, e.status::text AS status, e.asynchronous
            FROM subscriptions s JOIN endpoints e ON e.id = s.endpoint_id
            WHERE s.tenant_id = ${tenantId} AND s.event_types && ${eventTypeCandidates(input.eventType)}::text[]
              AND e.status <> 'INACTIVE' AND NOT (e.ignore_for_api AND ${event.origin} = 'api')
            ORDER BY e.id`;
          const deliveries = endpoints.map((endpoint) => ({
            id: newId("delivery"),
            tenantId,
            eventId: event.id,
            endpointId: endpoint.id,
            status: endpoint.status === "ACTIVE" ? ("pending" as const) : ("held" as const),
            nextAttemptAt: endpoint.status === "ACTIVE" ? event.createdAt : null,
          }));
          if (deliveries.length > 0) await tx.delivery.createMany({ data: deliveries });
          const synchronous = new Set(endpoints.filter((e) => !e.asynchronous).map((e) => e.id));
          return {
            outcome: "published" as const,
            event,
            deliveries: deliveries.map(({ id, status, endpointId }) => ({ id, status, endpointId, synchronous: synchronous.has(endpointId) })),
          };
        });
      } catch (error) {
        if (key !== undefined && error instanceof KeyTaken) {
          const found = await existing(key);
          if (found) return found;
          // The claim expired between the two reads: the key is free again, so publish anew.
          return this.publish(input, options);
        }
        throw error;
      }
    },

    find(id: string): Promise<EventWithDeliveries | null> {
      return prisma.event.findFirst({ where: { id, tenantId }, include: { deliveries: { orderBy: { seq: "asc" } } } });
    },
  };
}

export type EventRepository = ReturnType<typeof eventRepository>;
