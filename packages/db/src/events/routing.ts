import type pg from "pg";
import { eventTypeCandidates } from "@hookline/core";
import { perPool } from "../batcher.js";
import { prepared } from "../prepared.js";

/**
 * Which endpoints take which events, per tenant, kept in memory by each process that publishes.
 *
 * Routing was one statement per publish group that joined the group's events with the tenant's
 * subscriptions and endpoints: a plan of one index probe per event and endpoint on small tenants,
 * about a third of Postgres's CPU per published event (docs/PERFORMANCE.md, fifth round). Now a
 * tenant's routing (its endpoints that have subscriptions: status, customer, flags, the types each
 * subscribes to) is read once, with its version, and matched here. Every change that alters
 * routing bumps `tenant_routing.version` in the same transaction (triggers on endpoints and
 * subscriptions), and the statement that stores events writes nothing unless the version is the
 * one the events were routed by; a stale copy is read again and the events routed anew. So a
 * publish never routes by a table older than its own store, whichever process changed it.
 */
export interface Route {
  readonly endpointId: string;
  readonly status: string;
  readonly asynchronous: boolean;
  readonly ignoreForApi: boolean;
  readonly customerId: string | null;
}

export interface Routing {
  /** `tenant_routing.version` when this was read (a bigint, as text). */
  readonly version: string;
  /** Routes by the type or pattern their subscriptions name (an endpoint may be under several). */
  readonly byType: ReadonlyMap<string, readonly Route[]>;
}

/** Tenants whose routing a process keeps; the least recently used is dropped beyond this. */
const MAX_TENANTS = 2000;

type RouteRow = { e: string; s: string; a: boolean; i: boolean; c: string | null; t: string[] };

async function load(pool: pg.Pool, tenantId: string): Promise<Routing> {
  // One statement, one snapshot: the version and the routes it describes.
  const { rows } = await prepared<{ version: string; routes: RouteRow[] }>(
    pool,
    "routing-load",
    `SELECT COALESCE((SELECT version FROM tenant_routing WHERE tenant_id = $1), 0)::text AS version,
            COALESCE((SELECT json_agg(json_build_object('e', e.id, 's', e.status, 'a', e.asynchronous, 'i', e.ignore_for_api,
                                                        'c', e.customer_id, 't', s.event_types))
                      FROM subscriptions s JOIN endpoints e ON e.tenant_id = s.tenant_id AND e.id = s.endpoint_id
                      WHERE s.tenant_id = $1 AND e.status <> 'INACTIVE' AND e.deleted_at IS NULL), '[]'::json) AS routes`,
    [tenantId],
  );
  const row = rows[0]!;
  const byType = new Map<string, Route[]>();
  for (const r of row.routes) {
    const route: Route = { endpointId: r.e, status: r.s, asynchronous: r.a, ignoreForApi: r.i, customerId: r.c };
    for (const type of r.t) {
      const list = byType.get(type);
      if (list) list.push(route);
      else byType.set(type, [route]);
    }
  }
  return { version: row.version, byType };
}

/** The endpoints an event goes to, by endpoint id: the rules the store statement relied on before. */
export function routeEvent(routing: Routing, event: { eventType: string; origin: string; customerId: string | null }): Route[] {
  const chosen = new Map<string, Route>();
  for (const candidate of eventTypeCandidates(event.eventType)) {
    for (const route of routing.byType.get(candidate) ?? []) {
      if (chosen.has(route.endpointId)) continue;
      // Endpoints that ignore the API get nothing that came from it; an event for a customer
      // reaches that customer's endpoints only, one for no customer endpoints of no customer only.
      if (route.ignoreForApi && event.origin === "api") continue;
      if (route.customerId !== event.customerId) continue;
      chosen.set(route.endpointId, route);
    }
  }
  return [...chosen.values()].sort((a, b) => (a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0));
}

/** Each pool's copy of its tenants' routing. Loads of one tenant that overlap share one statement. */
export const routingCache = perPool((pool: pg.Pool) => {
  const cached = new Map<string, Promise<Routing>>();
  return {
    get(tenantId: string): Promise<Routing> {
      let routing = cached.get(tenantId);
      if (routing === undefined) {
        routing = load(pool, tenantId);
        // A failed read is not kept: the next publish reads again.
        routing.catch(() => {
          if (cached.get(tenantId) === routing) cached.delete(tenantId);
        });
        if (cached.size >= MAX_TENANTS) cached.delete(cached.keys().next().value!);
      } else {
        cached.delete(tenantId); // most recently used goes last
      }
      cached.set(tenantId, routing);
      return routing;
    },
    /** The store found a newer version than `stale`: drop the copy unless it was already replaced. */
    async invalidate(tenantId: string, stale: string): Promise<void> {
      const current = cached.get(tenantId);
      if (current === undefined) return;
      const routing = await current.catch(() => undefined);
      if (routing === undefined || routing.version === stale) {
        if (cached.get(tenantId) === current) cached.delete(tenantId);
      }
    },
  };
});
