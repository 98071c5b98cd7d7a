import type pg from "pg";
import type { EndpointStatus } from "../generated/prisma/client.js";
import { prepared } from "../prepared.js";

/** Attempts of one minute: `succeeded` answered 2xx, the rest (other codes, errors, timeouts) failed. */
export interface MinuteCounts {
  /** The minute's start. */
  readonly minute: Date;
  readonly succeeded: number;
  readonly attempts: number;
}

export interface FailingEndpoint {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly status: EndpointStatus;
  readonly failingSince: Date;
}

export interface DeliveryStats {
  /** One per minute of the window, oldest first, the current (partial) minute last; empty minutes count zero. */
  readonly minutes: MinuteCounts[];
  readonly endpoints: Readonly<Record<EndpointStatus, number>>;
  /** Longest failing first. */
  readonly failing: FailingEndpoint[];
}

export interface StatsOptions {
  readonly windowMinutes: number;
  /** At most this many failing endpoints are listed. */
  readonly maxFailing: number;
}

/**
 * A tenant's recent delivery activity, for a dashboard: two statements run side by side. Attempts
 * carry no tenant: they are found through the tenant's deliveries attempted within the window
 * (`last_attempt_at` is its latest attempt's start, so any attempt in the window has a delivery
 * there), indexed by (tenant_id, last_attempt_at), then by attempts' (delivery_id, …) index.
 * The window is the database's clock, as `started_at` is compared with it.
 */
async function deliveryStats(pool: pg.Pool, tenantId: string, options: StatsOptions): Promise<DeliveryStats> {
  const [minutes, endpoints] = await Promise.all([
    prepared<{ minute: Date; succeeded: number; attempts: number }>(
      pool,
      "stats-attempts-per-minute",
      `WITH bounds AS (
         SELECT date_trunc('minute', now()) - make_interval(mins => $2::int - 1) AS first, date_trunc('minute', now()) AS last
       ), counted AS (
         SELECT date_trunc('minute', a.started_at) AS minute,
                count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299)::int AS succeeded,
                count(*)::int AS attempts
         FROM bounds b
         JOIN deliveries d ON d.tenant_id = $1 AND d.last_attempt_at >= b.first
         JOIN attempts a ON a.delivery_id = d.id AND a.started_at >= b.first
         GROUP BY 1
       )
       SELECT m.minute, coalesce(c.succeeded, 0) AS succeeded, coalesce(c.attempts, 0) AS attempts
       FROM bounds b
       CROSS JOIN generate_series(b.first, b.last, interval '1 minute') AS m(minute)
       LEFT JOIN counted c ON c.minute = m.minute
       ORDER BY m.minute`,
      [tenantId, options.windowMinutes],
    ),
    prepared<{
      counts: Record<EndpointStatus, number>;
      failing: { id: string; name: string; url: string; status: EndpointStatus; failing_since: string }[];
    }>(
      pool,
      "stats-endpoints",
      `WITH mine AS (SELECT id, name, url, status, failing_since FROM endpoints WHERE tenant_id = $1 AND deleted_at IS NULL)
       SELECT json_build_object(
                'ACTIVE', count(*) FILTER (WHERE status = 'ACTIVE'),
                'PAUSED', count(*) FILTER (WHERE status = 'PAUSED'),
                'DISABLED', count(*) FILTER (WHERE status = 'DISABLED'),
                'INACTIVE', count(*) FILTER (WHERE status = 'INACTIVE')
              ) AS counts,
              coalesce((SELECT json_agg(f ORDER BY f.failing_since, f.id) FROM (
                SELECT id, name, url, status, failing_since FROM mine
                WHERE failing_since IS NOT NULL ORDER BY failing_since, id LIMIT $2
              ) f), '[]'::json) AS failing
       FROM mine`,
      [tenantId, options.maxFailing],
    ),
  ]);
  const row = endpoints.rows[0]!;
  return {
    minutes: minutes.rows,
    endpoints: row.counts,
    failing: row.failing.map((f) => ({ id: f.id, name: f.name, url: f.url, status: f.status, failingSince: new Date(f.failing_since) })),
  };
}

/** The dashboard's overview, bound to one tenant. */
export function statsRepository(pool: pg.Pool, tenantId: string) {
  return {
    deliveries: (options: StatsOptions) => deliveryStats(pool, tenantId, options),
  };
}

export type StatsRepository = ReturnType<typeof statsRepository>;
