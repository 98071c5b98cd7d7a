import type pg from "pg";

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
  pool: pg.Pool,
  options: { graceMs: number; limit: number; cursor?: DueCursor | undefined },
  handle: (deliveryIds: string[]) => Promise<void>,
): Promise<DueCursor | undefined> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string; next_attempt_at: Date }>(
      `SELECT id, next_attempt_at FROM deliveries
       WHERE status = 'pending' AND next_attempt_at <= now() - make_interval(secs => $1::float8 / 1000)
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

/** Forgets idempotency keys whose window ended; they no longer answer with their first event. */
export async function deleteExpiredIdempotencyKeys(pool: pg.Pool, limit = 5_000): Promise<number> {
  const result = await pool.query(
    `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1)`,
    [limit],
  );
  return result.rowCount ?? 0;
}
