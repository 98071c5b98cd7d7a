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

  /**
   * One transaction for the whole batch: claim the idempotency keys (a key held by another event
   * leaves its input out), insert the events, find every endpoint subscribed to each event's
   * type, and insert one delivery per event and endpoint. Returns, in input order, the published
   * events and the inputs whose key was taken (their events are looked up after commit).
   */
  async function write(inputs: readonly NewEvent[], options: PublishOptions) {
    const ids = inputs.map(() => newId("event"));
    return prisma.$transaction(async (tx) => {
      const keyed = inputs.flatMap((input, i) => (input.idempotencyKey === undefined ? [] : [{ key: input.idempotencyKey, eventId: ids[i]! }]));
      // A concurrent request with the same key waits on the key's row, then finds it taken.
      const claimed = new Set(
        keyed.length === 0
          ? []
          : (
              await tx.$queryRaw<{ key: string }[]>`
                INSERT INTO idempotency_keys (tenant_id, key, event_id, expires_at)
                SELECT ${tenantId}, k.key, k.event_id, now() + make_interval(secs => ${options.idempotencyWindowMs / 1000}::float8)
                FROM unnest(${keyed.map((k) => k.key)}::text[], ${keyed.map((k) => k.eventId)}::text[]) AS k(key, event_id)
                ON CONFLICT (tenant_id, key) DO UPDATE
                  SET event_id = EXCLUDED.event_id, expires_at = EXCLUDED.expires_at, created_at = now()
                  WHERE idempotency_keys.expires_at <= now()
                RETURNING key`
            ).map((row) => row.key),
      );
      const fresh = inputs.flatMap((input, i) =>
        input.idempotencyKey === undefined || claimed.has(input.idempotencyKey) ? [{ input, id: ids[i]!, origin: input.origin ?? "api" }] : [],
      );
      const events = fresh.length === 0 ? [] : await tx.event.createManyAndReturn({
        data: fresh.map(({ input, id, origin }) => ({
          id,
          tenantId,
          eventType: input.eventType,
          data: input.data as Prisma.InputJsonValue,
          objectId: input.objectId ?? null,
          idempotencyKey: input.idempotencyKey ?? null,
          origin,
        })),
      });
      // One delivery per event and endpoint, however many of its subscriptions match. Inactive
      // endpoints get nothing; endpoints that ignore the API get nothing that came from it.
      const pairs = fresh.flatMap(({ input, id, origin }) => eventTypeCandidates(input.eventType).map((candidate) => ({ id, candidate, origin })));
      const targets =
        pairs.length === 0
          ? []
          : await tx.$queryRaw<{ event_id: string; id: string; status: string; asynchronous: boolean }[]>`
              SELECT DISTINCT p.event_id, e.id, e.status::text AS status, e.asynchronous
              FROM unnest(${pairs.map((p) => p.id)}::text[], ${pairs.map((p) => p.candidate)}::text[], ${pairs.map((p) => p.origin)}::text[])
                AS p(event_id, candidate, origin)
              JOIN subscriptions s ON s.tenant_id = ${tenantId} AND s.event_types && ARRAY[p.candidate]
              JOIN endpoints e ON e.id = s.endpoint_id
              WHERE e.status <> 'INACTIVE' AND NOT (e.ignore_for_api AND p.origin = 'api')
              `;
      const byId = new Map(events.map((event) => [event.id, event]));
      const position = new Map(ids.map((id, i) => [id, i]));
      // In the batch's order, so that the deliveries' seq (publish order) follows it.
      targets.sort((a, b) => position.get(a.event_id)! - position.get(b.event_id)! || (a.id < b.id ? -1 : 1));
      const deliveries = targets.map((target) => {
        const active = target.status === "ACTIVE";
        return {
          id: newId("delivery"),
          tenantId,
          eventId: target.event_id,
          endpointId: target.id,
          status: active ? ("pending" as const) : ("held" as const),
          nextAttemptAt: active ? byId.get(target.event_id)!.createdAt : null,
          synchronous: !target.asynchronous,
        };
      });
      if (deliveries.length > 0) await tx.delivery.createMany({ data: deliveries.map(({ synchronous: _, ...row }) => row) });
      return inputs.map((input, i): PublishResult | { outcome: "taken"; key: string } => {
        const event = byId.get(ids[i]!);
        if (!event) return { outcome: "taken", key: input.idempotencyKey! };
        return {
          outcome: "published",
          event,
          deliveries: deliveries.filter((d) => d.eventId === event.id).map(({ id, status, endpointId, synchronous }) => ({ id, status, endpointId, synchronous })),
        };
      });
    });
  }

  async function publishBatch(inputs: readonly NewEvent[], options: PublishOptions): Promise<PublishResult[]> {
    const written = await write(inputs, options);
    return Promise.all(
      written.map(async (result, i) => {
        if (result.outcome !== "taken") return result;
        // The claim expired between the two reads: the key is free again, so publish anew.
        return (await existing(result.key)) ?? (await publishBatch([inputs[i]!], options))[0]!;
      }),
    );
  }

  return {
    /**
     * Stores the event and its deliveries. With an idempotency key, the key is claimed in the
     * same transaction, so exactly one event is created per key and window.
     */
    async publish(input: NewEvent, options: PublishOptions = { idempotencyWindowMs: 24 * 3600_000 }): Promise<PublishResult> {
      if (input.idempotencyKey !== undefined) {
        const found = await existing(input.idempotencyKey);
        if (found) return found;
      }
      return (await publishBatch([input], options))[0]!;
    },

    /** Many events in one transaction, each as `publish` would store it; results in input order. Keys must be distinct. */
    publishBatch,

    find(id: string): Promise<EventWithDeliveries | null> {
      return prisma.event.findFirst({ where: { id, tenantId }, include: { deliveries: { orderBy: { seq: "asc" } } } });
    },
  };
}

export type EventRepository = ReturnType<typeof eventRepository>;
