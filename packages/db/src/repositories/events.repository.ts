import { eventTypeCandidates, newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import { Prisma, type Delivery, type Event } from "../generated/prisma/client.js";

export type { Event } from "../generated/prisma/client.js";

export interface NewEvent {
  readonly eventType: string;
  readonly data: unknown;
  readonly objectId?: string | undefined;
  readonly idempotencyKey?: string | undefined;
}

export type PublishResult =
  | { readonly outcome: "published"; readonly event: Event; readonly deliveries: readonly Pick<Delivery, "id" | "status">[] }
  | { readonly outcome: "duplicate"; readonly event: Event; readonly deliveryCount: number };

export type EventWithDeliveries = Event & { deliveries: Delivery[] };

/**
 * Publishing, bound to one tenant. The event and one delivery per subscribed endpoint are written
 * in one transaction; the caller enqueues the pending ones only after it commits, so a job never
 * points at a row that does not exist.
 */
export function eventRepository(prisma: PrismaClient, tenantId: string) {
  async function existing(idempotencyKey: string): Promise<PublishResult | undefined> {
    const event = await prisma.event.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } } });
    if (!event) return undefined;
    const deliveryCount = await prisma.delivery.count({ where: { eventId: event.id } });
    return { outcome: "duplicate", event, deliveryCount };
  }

  return {
    async publish(input: NewEvent): Promise<PublishResult> {
      if (input.idempotencyKey !== undefined) {
        const found = await existing(input.idempotencyKey);
        if (found) return found;
      }
      try {
        return await prisma.$transaction(async (tx) => {
          const event = await tx.event.create({
            data: {
              id: newId("event"),
              tenantId,
              eventType: input.eventType,
              data: input.data as Prisma.InputJsonValue,
              objectId: input.objectId ?? null,
              idempotencyKey: input.idempotencyKey ?? null,
            },
          });
          // One delivery per endpoint, however many of its subscriptions match.
          const endpoints = await tx.$queryRaw<{ id: string; status: string }[]>`
            SELECT DISTINCT e.id, e.status::text AS status
            FROM subscriptions s JOIN endpoints e ON e.id = s.endpoint_id
            WHERE s.tenant_id = ${tenantId} AND s.event_types && ${eventTypeCandidates(input.eventType)}::text[]
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
          return { outcome: "published" as const, event, deliveries: deliveries.map(({ id, status }) => ({ id, status })) };
        });
      } catch (error) {
        // The same key from a concurrent request won the unique index: answer with its event.
        if (input.idempotencyKey !== undefined && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          const found = await existing(input.idempotencyKey);
          if (found) return found;
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
