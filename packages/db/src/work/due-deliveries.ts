import type { Database } from "../client.js";
import { idsInPublishOrder } from "../events/due-again.js";

export interface DueCursor {
  readonly at: Date;
  readonly id: string;
}

/**
 * Runs `handle` on a batch of deliveries that are due (pending, next attempt at least `graceMs`
 * ago), oldest first and after `cursor`, while holding their row locks. SKIP LOCKED lets several
 * sweepers run at once without two of them taking the same rows. Returns the cursor of the last
 * row, or undefined when the batch was not full (nothing more is due).
 */
export async function withDueDeliveries(
  db: Pick<Database, "pool">,
  options: { graceMs: number; limit: number; cursor?: DueCursor | undefined },
  handle: (deliveryIds: string[]) => Promise<void>,
): Promise<DueCursor | undefined> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string; next_attempt_at: Date }>(
      `SELECT id, next_attempt_at FROM deliveries
       WHERE status = 'pending' AND next_attempt_at <= now() - make_interval(secs => $1::float8 / 1000)
         AND NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.id = deliveries.endpoint_id AND e.deleted_at IS NOT NULL)
         AND ($3::timestamptz IS NULL OR (next_attempt_at, id) > ($3::timestamptz, $4::text))
       ORDER BY next_attempt_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [options.graceMs, options.limit, options.cursor?.at ?? null, options.cursor?.id ?? null],
    );
    await handle(rows.map((row) => row.id));
    await client.query("COMMIT");
    const last = rows[rows.length - 1];
    return rows.length === options.limit && last ? { at: last.next_attempt_at, id: last.id } : undefined;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Releases held deliveries whose endpoint is active (held at least `graceMs` ago), oldest first,
 * at most `limit`; returns their ids in publish order, for the caller to enqueue. A resume
 * releases its endpoint's held deliveries itself, batch by batch; these are the ones it missed:
 * a release cut short by a crash, or a delivery parked as held (by a worker, or by a publish)
 * on the strength of a status read just before the endpoint was resumed.
 */
export async function releaseStrandedHeldDeliveries(
  db: Pick<Database, "pool">,
  options: { graceMs: number; limit: number },
): Promise<string[]> {
  const { pool } = db;
  // One probe of the (tenant_id, endpoint_id, status, seq) index per active endpoint, not a scan of every
  // held delivery: paused endpoints may hold millions, and they are not stranded.
  const { rows: found } = await pool.query<{ id: string }>(
    `SELECT h.id FROM endpoints e
     CROSS JOIN LATERAL (
       SELECT d.id, d.seq FROM deliveries d
       WHERE d.tenant_id = e.tenant_id AND d.endpoint_id = e.id AND d.status = 'held' AND d.updated_at <= now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY d.seq LIMIT $2) h
     WHERE e.status = 'ACTIVE' AND e.deleted_at IS NULL
     ORDER BY h.seq LIMIT $2`,
    [options.graceMs, options.limit],
  );
  if (found.length === 0) return [];
  // Re-checked as each row is updated: an endpoint paused again meanwhile keeps its deliveries.
  const { rows } = await pool.query<{ id: string; seq: string }>(
    `UPDATE deliveries d SET status = 'pending', next_attempt_at = now(), updated_at = now()
     WHERE d.id = ANY($1::text[]) AND d.status = 'held'
       AND EXISTS (SELECT 1 FROM endpoints e WHERE e.id = d.endpoint_id AND e.status = 'ACTIVE' AND e.deleted_at IS NULL)
     RETURNING d.id, d.seq`,
    [found.map((row) => row.id)],
  );
  return idsInPublishOrder(rows.map((row) => ({ id: row.id, seq: BigInt(row.seq) })));
}

/** Forgets idempotency keys whose window ended; they no longer answer with their first event. */
export async function deleteExpiredIdempotencyKeys(db: Pick<Database, "pool">, limit = 5_000): Promise<number> {
  const { pool } = db;
  const result = await pool.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1)`,
    [limit],
  );
  return result.rowCount ?? 0;
}
