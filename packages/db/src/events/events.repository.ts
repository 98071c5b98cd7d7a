import { newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type pg from "pg";
import { type Delivery, type Event } from "../generated/prisma/client.js";
import { prepared } from "../prepared.js";
import { routeEvent, routingCache } from "./routing.js";
import { createdWithin, newestFirstQuery, toPage, type Page, type PageRequest } from "../pagination.js";

export type { Event } from "../generated/prisma/client.js";

export interface NewEvent {
  readonly eventType: string;
  readonly data: unknown;
  readonly objectId?: string | undefined;
  readonly idempotencyKey?: string | undefined;
  /** Where the event came from; `api` by default. Endpoints that ignore the API skip `api` events. */
  readonly origin?: string | undefined;
  /**
   * The tenant's customer it is published for (checked by the publisher): it fans out to that
   * customer's endpoints only. Without one, to endpoints without a customer only.
   */
  readonly customerId?: string | null | undefined;
  /**
   * A test event's one endpoint (`POST /v1/endpoints/{id}/test`): it goes there and nowhere else,
   * whatever that endpoint subscribes to and whoever the event is for.
   */
  readonly targetEndpointId?: string | undefined;
}

export interface PublishOptions {
  /** How long an idempotency key keeps answering with its first event. */
  readonly idempotencyWindowMs: number;
}

/** `synchronous`: the endpoint is a synchronous webhook, which the publisher waits for. */
type PublishedDelivery = Pick<Delivery, "id" | "status" | "endpointId"> & { synchronous: boolean };

export type PublishResult =
  | {
      readonly outcome: "published";
      readonly event: Event;
      readonly deliveries: readonly PublishedDelivery[];
    }
  | { readonly outcome: "duplicate"; readonly event: Event; readonly deliveryCount: number };

export type EventWithDeliveries = Event & { deliveries: Delivery[] };

/** How many times a publish routes again after the tenant's routing changed under it. */
const ROUTING_ATTEMPTS = 5;

/** Prisma's `startsWith` is a LIKE whose pattern it leaves as given: `_` in a type's name would match any character. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What `GET /v1/events` may narrow the list to; each only when given. */
export interface EventFilter {
  /** Exactly this type. */
  readonly eventType?: string | undefined;
  /** Types starting with this (`invoice.` for `invoice.*`). */
  readonly eventTypePrefix?: string | undefined;
  readonly objectId?: string | undefined;
  /** Created at or after. */
  readonly since?: Date | undefined;
  /** Created at or before. */
  readonly until?: Date | undefined;
}

/**
 * Publishing, bound to one tenant. The event and one delivery per subscribed endpoint are written
 * in one transaction; the caller enqueues the pending ones only after it commits, so a job never
 * points at a row that does not exist.
 */
export function eventRepository(prisma: PrismaClient, pool: pg.Pool, tenantId: string) {
  async function existing(idempotencyKey: string): Promise<PublishResult | undefined> {
    const claim = await prisma.idempotencyKey.findUnique({ where: { tenantId_key: { tenantId, key: idempotencyKey } } });
    if (!claim || claim.expiresAt.getTime() <= Date.now()) return undefined;
    const event = await prisma.event.findFirst({ where: { id: claim.eventId, tenantId } });
    if (!event) return undefined;
    const deliveryCount = await prisma.delivery.count({ where: { tenantId, eventId: event.id } });
    return { outcome: "duplicate", event, deliveryCount };
  }

  type FanOutRow = { event_id: string; id: string; status: string; asynchronous: boolean };

  /**
   * A targeted event's endpoint, by id: no subscription, origin or customer rule applies. The
   * status rule does (an inactive endpoint gets nothing; a paused one holds it), and so does the
   * tenant: another tenant's id finds nothing.
   */
  const fanOutTargeted = (aimed: readonly { id: string; endpointId: string }[]) =>
    prepared<FanOutRow>(
      pool,
      "publish-fan-out-targeted",
      `SELECT t.event_id, e.id, e.status::text AS status, e.asynchronous
       FROM unnest($1::text[], $2::text[]) AS t(event_id, endpoint_id)
       JOIN endpoints e ON e.tenant_id = $3 AND e.id = t.endpoint_id
       WHERE e.status <> 'INACTIVE'`,
      [aimed.map((a) => a.id), aimed.map((a) => a.endpointId), tenantId],
    );

  /**
   * Publishes, routing by the tenant's routing as cached; when the store finds that routing
   * changed meanwhile, it wrote nothing, and the events are routed again from a fresh copy.
   */
  async function write(inputs: readonly NewEvent[], options: PublishOptions) {
    for (let attempt = 1; ; attempt++) {
      const written = await writeOnce(inputs, options);
      if (Array.isArray(written)) return written;
      await routingCache(pool).invalidate(tenantId, written.stale);
      // Only a tenant changing its endpoints without pause gets here; nothing was written: try again.
      if (attempt >= ROUTING_ATTEMPTS)
        throw Object.assign(new Error("the tenant's endpoints kept changing while the events were stored"), { code: "40001" });
    }
  }

  /**
   * The whole batch in one round trip of plain SQL (this is the API's hottest path, where Prisma's
   * per-query cost showed in profiles), routed in memory: one statement that checks the routing's
   * version, claims the idempotency keys (an input whose key another event holds is left out),
   * inserts the events and inserts one delivery per event and endpoint. One statement is one
   * transaction: the events and their deliveries commit together or not at all. Returns, in input
   * order, the published events and the inputs whose key was taken, or the stale version.
   */
  async function writeOnce(inputs: readonly NewEvent[], options: PublishOptions) {
    const ids = inputs.map(() => newId("event"));
    const origins = inputs.map((input) => input.origin ?? "api");
    const customers = inputs.map((input) => input.customerId ?? null);
    // One delivery per event and endpoint, however many of its subscriptions match, from the
    // tenant's routing as this process holds it (routing.ts); the store below writes nothing if
    // the routing changed since. A targeted (test) event skips the subscriptions: its one
    // endpoint is read by id, a statement only when a group has such an event.
    const routed = inputs.some((input) => input.targetEndpointId === undefined);
    const aimed = inputs.flatMap((input, i) =>
      input.targetEndpointId === undefined ? [] : [{ id: ids[i]!, endpointId: input.targetEndpointId }],
    );
    const [routing, { rows: targeted }] = await Promise.all([
      routed ? routingCache(pool).get(tenantId) : undefined,
      aimed.length === 0 ? { rows: [] } : fanOutTargeted(aimed),
    ]);
    const targets: FanOutRow[] = [];
    inputs.forEach((input, i) => {
      if (input.targetEndpointId !== undefined) {
        for (const row of targeted) if (row.event_id === ids[i]) targets.push(row);
        return;
      }
      for (const route of routeEvent(routing!, { eventType: input.eventType, origin: origins[i]!, customerId: customers[i]! }))
        targets.push({ event_id: ids[i]!, id: route.endpointId, status: route.status, asynchronous: route.asynchronous });
    });
    const deliveries = targets.map((target) => ({
      id: newId("delivery"),
      eventId: target.event_id,
      endpointId: target.id,
      status: target.status === "ACTIVE" ? ("pending" as const) : ("held" as const),
      synchronous: !target.asynchronous,
    }));
    const keyed = inputs.flatMap((input, i) =>
      input.idempotencyKey === undefined ? [] : [{ key: input.idempotencyKey, eventId: ids[i]! }],
    );
    const { rows: storedRows } = await prepared<{ id: string | null; created_at: Date | null; routing_version: string | null }>(
      pool,
      "publish-store",
      `WITH routing AS (
         -- The version the events were routed by must still be the tenant's ($16; null: none was used).
         SELECT $16::bigint IS NULL OR COALESCE((SELECT version FROM tenant_routing WHERE tenant_id = $1), 0) = $16::bigint AS current,
                COALESCE((SELECT version FROM tenant_routing WHERE tenant_id = $1), 0)::text AS version
       ), claimed AS (
         -- A concurrent request with the same key waits on the key's row, then finds it taken.
         INSERT INTO idempotency_keys (tenant_id, key, event_id, expires_at)
         SELECT $1, k.key, k.event_id, now() + make_interval(secs => $2::float8)
         FROM unnest($3::text[], $4::text[]) AS k(key, event_id)
         WHERE (SELECT current FROM routing)
         ON CONFLICT (tenant_id, key) DO UPDATE
           SET event_id = EXCLUDED.event_id, expires_at = EXCLUDED.expires_at, created_at = now()
           WHERE idempotency_keys.expires_at <= now()
         RETURNING event_id
       ), input AS (
         SELECT t.*, d.value AS data
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $15::text[])
              WITH ORDINALITY AS t(id, event_type, object_id, idempotency_key, origin, customer_id, position)
         JOIN jsonb_array_elements($10::jsonb) WITH ORDINALITY AS d(value, position) USING (position)
       ), stored AS (
         INSERT INTO events (id, tenant_id, event_type, data, object_id, idempotency_key, origin, customer_id)
         SELECT i.id, $1, i.event_type, i.data, i.object_id, i.idempotency_key, i.origin, i.customer_id
         FROM input i
         WHERE (SELECT current FROM routing) AND (i.idempotency_key IS NULL OR i.id IN (SELECT event_id FROM claimed))
         ORDER BY i.position
         RETURNING id, created_at
       ), fanned AS (
         INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, next_attempt_at, updated_at)
         SELECT d.id, $1, d.event_id, d.endpoint_id, d.status::delivery_status, CASE WHEN d.status = 'pending' THEN s.created_at END, now()
         FROM unnest($11::text[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY AS d(id, event_id, endpoint_id, status, position)
         JOIN stored s ON s.id = d.event_id
         ORDER BY d.position
         RETURNING 1
       )
       SELECT id, created_at, NULL::text AS routing_version FROM stored
       UNION ALL
       SELECT NULL, NULL, version FROM routing WHERE NOT current`,
      [
        tenantId,
        options.idempotencyWindowMs / 1000,
        keyed.map((k) => k.key),
        keyed.map((k) => k.eventId),
        ids,
        inputs.map((input) => input.eventType),
        inputs.map((input) => input.objectId ?? null),
        inputs.map((input) => input.idempotencyKey ?? null),
        origins,
        JSON.stringify(inputs.map((input) => input.data)),
        deliveries.map((d) => d.id),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.endpointId),
        deliveries.map((d) => d.status),
        customers,
        routing?.version ?? null,
      ],
    );
    const moved = storedRows.find((row) => row.routing_version !== null);
    if (moved) return { stale: routing!.version };
    const stored = storedRows as { id: string; created_at: Date }[];
    const createdAt = new Map(stored.map((row) => [row.id, row.created_at]));
    const deliveriesOf = new Map<string, PublishedDelivery[]>();
    for (const { id: deliveryId, eventId, status, endpointId, synchronous } of deliveries) {
      const list = deliveriesOf.get(eventId) ?? [];
      list.push({ id: deliveryId, status, endpointId, synchronous });
      deliveriesOf.set(eventId, list);
    }
    return inputs.map((input, i): PublishResult | { outcome: "taken"; key: string } => {
      const id = ids[i]!;
      const created = createdAt.get(id);
      if (!created) return { outcome: "taken", key: input.idempotencyKey! };
      const event: Event = {
        id,
        tenantId,
        eventType: input.eventType,
        objectId: input.objectId ?? null,
        data: input.data as Event["data"],
        idempotencyKey: input.idempotencyKey ?? null,
        origin: origins[i]!,
        customerId: customers[i]!,
        createdAt: created,
      };
      return {
        outcome: "published",
        event,
        deliveries: deliveriesOf.get(id) ?? [],
      };
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
    async publish(input: NewEvent, options: PublishOptions): Promise<PublishResult> {
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

    /** The tenant's events, newest first (what just happened is what one looks for), without their deliveries. */
    async list(page: PageRequest, filter: EventFilter = {}): Promise<Page<Event>> {
      const cursor =
        page.after === undefined
          ? null
          : await prisma.event.findFirst({ where: { id: page.after, tenantId }, select: { id: true, createdAt: true } });
      const { after, ...rest } = newestFirstQuery(page, cursor);
      const rows = await prisma.event.findMany({
        where: {
          tenantId,
          ...(filter.eventType !== undefined && { eventType: filter.eventType }),
          ...(filter.objectId !== undefined && { objectId: filter.objectId }),
          AND: [
            ...(filter.eventTypePrefix === undefined ? [] : [{ eventType: { startsWith: escapeLike(filter.eventTypePrefix) } }]),
            ...createdWithin(filter),
            ...after,
          ],
        },
        ...rest,
      });
      return toPage(rows, page.limit);
    },
  };
}

export type EventRepository = ReturnType<typeof eventRepository>;
