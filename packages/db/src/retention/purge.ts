import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../client.js";
import { limitClause } from "../sql-limit.js";

/*
 * The background purge of history past each tenant's retention: finished deliveries (their
 * attempts go with them), events none of whose deliveries is left, inbound executions and
 * finished flow executions. Each statement deletes one batch under row locks taken with SKIP
 * LOCKED, so several workers purging at once share the work and none holds locks for long; an
 * unfinished delivery is never selected, and its event is kept while it exists.
 */

export interface PurgeOptions {
  /** Days kept for tenants without their own `retention_days` (RETENTION_DAYS). */
  readonly defaultDays: number;
  readonly batchSize: number;
  /**
   * Share of the time spent in statements, 1 to 100 (RETENTION_DUTY_PERCENT): after each batch the
   * purge waits in proportion to how long the batch took. Unset, it runs batches back to back.
   */
  readonly dutyPercent?: number;
  /** How a pause is waited (tests record them); a timer by default. */
  readonly pause?: (ms: number) => Promise<unknown>;
  /** Asked between batches: a stopping worker ends the pass early; the next pass goes on. */
  readonly stopped?: () => boolean;
}

export interface PurgeCounts {
  deliveries: number;
  events: number;
  executions: number;
  flowExecutions: number;
}

export interface TenantCutoff {
  readonly tenantId: string;
  /** Rows created before this are past the tenant's retention. */
  readonly cutoff: Date;
}

/**
 * Each tenant's cutoff: the start of the UTC day `retention` days ago. Whole days, so that a
 * day's rows go together, which is also how attempts are partitioned.
 */
export async function tenantCutoffs(db: Pick<Database, "pool">, defaultDays: number): Promise<TenantCutoff[]> {
  const { rows } = await db.pool.query<{ id: string; cutoff: Date }>(
    `SELECT id, ${dayStartDaysAgo("COALESCE(retention_days, $1::int)")} AS cutoff FROM tenants ORDER BY id`,
    [defaultDays],
  );
  return rows.map((row) => ({ tenantId: row.id, cutoff: row.cutoff }));
}

/** SQL for the start of the UTC day `days` days before now. */
export function dayStartDaysAgo(days: string): string {
  return `(date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${days})) AT TIME ZONE 'UTC'`;
}

/**
 * One batch of each kind: the next BATCH rows past the cursor ($3, $4: the last row the pass
 * deleted, by created_at and id) that may go. Each pass walks forward, so rows that must stay (a
 * delivery still pending or held, an event one of whose deliveries is left, an unfinished flow
 * execution) are read once per pass, not once per batch: a paused endpoint may pin millions. Each
 * answers with the last row it deleted (Postgres orders the ids by the column's collation) and
 * the count.
 */
const BATCHES = {
  deliveries: `DELETE FROM deliveries WHERE id IN (
      SELECT id FROM deliveries
      WHERE tenant_id = $1 AND created_at < $2 AND (created_at, id) > ($3::timestamptz, $4::text)
        AND status IN ('succeeded', 'failed')
      ORDER BY created_at, id LIMIT BATCH FOR UPDATE SKIP LOCKED)`,
  events: `DELETE FROM events WHERE id IN (
      SELECT e.id FROM events e
      WHERE e.tenant_id = $1 AND e.created_at < $2 AND (e.created_at, e.id) > ($3::timestamptz, $4::text)
        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.tenant_id = e.tenant_id AND d.event_id = e.id)
      ORDER BY e.created_at, e.id LIMIT BATCH FOR UPDATE SKIP LOCKED)`,
  executions: `DELETE FROM executions WHERE id IN (
      SELECT id FROM executions
      WHERE tenant_id = $1 AND created_at < $2 AND (created_at, id) > ($3::timestamptz, $4::text)
      ORDER BY created_at, id LIMIT BATCH FOR UPDATE SKIP LOCKED)`,
  flowExecutions: `DELETE FROM flow_executions WHERE id IN (
      SELECT id FROM flow_executions
      WHERE tenant_id = $1 AND created_at < $2 AND (created_at, id) > ($3::timestamptz, $4::text)
        AND status IN ('succeeded', 'failed', 'refused')
      ORDER BY created_at, id LIMIT BATCH FOR UPDATE SKIP LOCKED)`,
} as const satisfies Record<keyof PurgeCounts, string>;

/**
 * The LIMIT is written into the statement, not bound: planned without its values (see
 * sql-limit.ts), a bound LIMIT made the plan a scan and sort of the whole table.
 */
function batchStatement(kind: keyof PurgeCounts, rows: number): string {
  return `WITH gone AS (${BATCHES[kind].replace("LIMIT BATCH", limitClause(rows))} RETURNING created_at, id)
    SELECT created_at, id, (SELECT count(*) FROM gone)::int AS deleted FROM gone ORDER BY created_at DESC, id DESC LIMIT 1`;
}

/**
 * The pause after a batch that took `batchMs`: old history may go slowly, and a purge that never
 * waits competes with the deliveries for the database (S10 in the bench measured S2's p50 and p99
 * doubled by one at full speed on two cores).
 */
async function yieldTime(batchMs: number, { dutyPercent = 100, pause = sleep }: PurgeOptions): Promise<void> {
  if (dutyPercent >= 100) return;
  await pause(Math.min(10_000, (batchMs * (100 - dutyPercent)) / dutyPercent));
}

/** Deletes, batch by batch, what one tenant keeps past `cutoff`; deliveries before their events. */
export async function purgeTenant(
  db: Pick<Database, "pool">,
  { tenantId, cutoff }: TenantCutoff,
  options: PurgeOptions,
): Promise<PurgeCounts> {
  const counts: PurgeCounts = { deliveries: 0, events: 0, executions: 0, flowExecutions: 0 };
  for (const kind of Object.keys(BATCHES) as (keyof PurgeCounts)[]) {
    let after: [Date | string, string] = ["-infinity", ""];
    for (;;) {
      const startedAt = performance.now();
      const { rows } = await db.pool.query<{ created_at: Date; id: string; deleted: number }>(batchStatement(kind, options.batchSize), [
        tenantId,
        cutoff,
        ...after,
      ]);
      const deleted = rows[0]?.deleted ?? 0;
      if (rows[0]) after = [rows[0].created_at, rows[0].id];
      counts[kind] += deleted;
      if (deleted < options.batchSize || options.stopped?.()) break;
      await yieldTime(performance.now() - startedAt, options);
    }
    if (options.stopped?.()) break;
  }
  return counts;
}

/** One pass over every tenant; returns what it deleted. */
export async function purgeExpiredHistory(db: Pick<Database, "pool">, options: PurgeOptions): Promise<PurgeCounts> {
  const total: PurgeCounts = { deliveries: 0, events: 0, executions: 0, flowExecutions: 0 };
  for (const tenant of await tenantCutoffs(db, options.defaultDays)) {
    if (options.stopped?.()) break;
    const counts = await purgeTenant(db, tenant, options);
    for (const kind of Object.keys(total) as (keyof PurgeCounts)[]) total[kind] += counts[kind];
  }
  return total;
}
