import type pg from "pg";
import { newId, type AttemptConsequence, type AttemptRecord, type HealthChange, type RecordedAttempt } from "@hookline/core";
import { prepared } from "../prepared.js";
import { retryOnConflict } from "../database-errors.js";

/*
 * The worker's writes: each attempt with its consequence for the delivery and, where the delivery
 * engine decided one, for the endpoint (see @hookline/delivery-engine's endpoint-health.ts).
 * Plain SQL on the shared pool, as they run once per attempt.
 */

/**
 * Writes the attempt, its consequence for the delivery and its endpoint's health change in one
 * transaction. The update only applies if no other attempt was recorded in between
 * (attempt_count still one less), so a delivery that two workers raced on records each attempt
 * once; returns false for the loser.
 */
export function recordAttempt(
  pool: pg.Pool,
  attempt: AttemptRecord,
  next: AttemptConsequence,
  health: HealthChange,
  endpointId: string,
): Promise<RecordedAttempt> {
  // Locks the delivery, then the endpoint: an endpoint's deletion takes them the other way round.
  return retryOnConflict(() => recordAttemptOnce(pool, attempt, next, health, endpointId));
}

async function recordAttemptOnce(
  pool: pg.Pool,
  attempt: AttemptRecord,
  next: AttemptConsequence,
  health: HealthChange,
  endpointId: string,
): Promise<RecordedAttempt> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const updated = await client.query<{ created_at: Date }>(
      `UPDATE deliveries
       SET status = $3::delivery_status, attempt_count = $2, last_attempt_at = $4, last_status_code = $5, last_error = $6,
           next_attempt_at = $7, completed_at = CASE WHEN $3::text IN ('succeeded', 'failed') THEN now() ELSE NULL END,
           updated_at = now()
       WHERE id = $1 AND attempt_count = $2::int - 1 AND status = 'pending'
       RETURNING created_at`,
      [
        attempt.deliveryId,
        attempt.attemptNumber,
        next.status,
        attempt.startedAt,
        attempt.statusCode ?? null,
        attempt.lastError,
        next.status === "pending" ? next.nextAttemptAt : null,
      ],
    );
    const deliveryCreatedAt = updated.rows[0]?.created_at;
    if (updated.rowCount !== 1 || !deliveryCreatedAt) {
      await client.query("ROLLBACK");
      return { recorded: false };
    }
    await client.query(
      `INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, status_code, error_kind, error_message,
                             response_headers, response_body, delivery_created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        newId("attempt"),
        attempt.deliveryId,
        attempt.attemptNumber,
        attempt.startedAt,
        attempt.durationMs,
        attempt.statusCode ?? null,
        attempt.errorKind ?? null,
        attempt.errorMessage ?? null,
        attempt.responseHeaders ? JSON.stringify(attempt.responseHeaders) : null,
        attempt.responseBody ?? null,
        deliveryCreatedAt,
      ],
    );
    const disabledEndpoint = await applyHealthChange(client, endpointId, health);
    await client.query("COMMIT");
    return { recorded: true, disabledEndpoint };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** An attempt and its consequence for the delivery, to be recorded in a group. */
export interface AttemptOutcomeRecord {
  readonly attempt: AttemptRecord;
  readonly next: AttemptConsequence;
}

/**
 * Records many attempts that leave their endpoints' health alone (see changesEndpointHealth) in
 * one statement: each delivery gets its attempt row and its new state (succeeded, failed, or
 * pending with its next attempt time), under the same guard as recordAttempt (attempt_count
 * still one less, still pending). Returns, per input, whether it was recorded. One statement is
 * one transaction, so an attempt row never exists without its update.
 */
export async function recordAttempts(pool: pg.Pool, all: readonly AttemptOutcomeRecord[]): Promise<boolean[]> {
  // The same delivery twice in one batch: the first is the one that may be recorded.
  const firsts = new Map<string, number>();
  all.forEach((a, i) => firsts.has(a.attempt.deliveryId) || firsts.set(a.attempt.deliveryId, i));
  const items = [...firsts.values()].map((i) => all[i]!);
  const column = <T>(pick: (attempt: AttemptRecord, next: AttemptConsequence) => T) =>
    items.map(({ attempt, next }) => pick(attempt, next));
  // One statement, one transaction: rolled back whole if it is a deadlock's victim, so it can run again.
  const { rows } = await retryOnConflict(() =>
    prepared<{ delivery_id: string }>(
      pool,
      "record-attempts",
      `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::int[], $6::int[], $7::jsonb[], $8::text[],
                            $9::delivery_status[], $10::timestamptz[], $11::text[], $12::text[], $13::text[])
         AS t(attempt_id, delivery_id, attempt_number, started_at, duration_ms, status_code, response_headers, response_body,
              status, next_attempt_at, error_kind, error_message, last_error)
     ), updated AS (
       UPDATE deliveries d
       SET status = i.status, attempt_count = i.attempt_number, last_attempt_at = i.started_at, last_status_code = i.status_code,
           last_error = i.last_error, next_attempt_at = i.next_attempt_at,
           completed_at = CASE WHEN i.status = 'pending' THEN NULL ELSE now() END, updated_at = now()
       FROM input i
       WHERE d.id = i.delivery_id AND d.attempt_count = i.attempt_number - 1 AND d.status = 'pending'
       RETURNING d.id, d.created_at
     )
     INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, status_code, error_kind, error_message,
                           response_headers, response_body, delivery_created_at)
     SELECT i.attempt_id, i.delivery_id, i.attempt_number, i.started_at, i.duration_ms, i.status_code, i.error_kind, i.error_message,
            i.response_headers, i.response_body, u.created_at
     FROM input i JOIN updated u ON u.id = i.delivery_id
     RETURNING delivery_id`,
      [
        items.map(() => newId("attempt")),
        column((a) => a.deliveryId),
        column((a) => a.attemptNumber),
        column((a) => a.startedAt),
        column((a) => a.durationMs),
        column((a) => a.statusCode ?? null),
        column((a) => (a.responseHeaders ? JSON.stringify(a.responseHeaders) : null)),
        column((a) => a.responseBody ?? null),
        column((_, next) => next.status),
        column((_, next) => (next.status === "pending" ? next.nextAttemptAt : null)),
        column((a) => a.errorKind ?? null),
        column((a) => a.errorMessage ?? null),
        column((a) => a.lastError),
      ],
    ),
  );
  const recorded = new Set(rows.map((row) => row.delivery_id));
  return all.map((a, i) => firsts.get(a.attempt.deliveryId) === i && recorded.has(a.attempt.deliveryId));
}

/**
 * Applies the health change the engine decided: the run of failures starts (kept if another
 * worker started it first) or ends, or the endpoint is disabled (only if it is still active).
 */
async function applyHealthChange(
  client: pg.PoolClient,
  endpointId: string,
  health: HealthChange,
): Promise<RecordedAttempt["disabledEndpoint"]> {
  switch (health.kind) {
    case "none":
      return undefined;
    case "recovered":
      await client.query(`UPDATE endpoints SET failing_since = NULL WHERE id = $1`, [endpointId]);
      return undefined;
    case "failing":
      await client.query(`UPDATE endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1`, [endpointId, health.since]);
      return undefined;
    case "disable": {
      const { rows } = await client.query<{ disabled_at: Date; failing_since: Date | null }>(
        `UPDATE endpoints SET status = 'DISABLED', failing_since = COALESCE(failing_since, $2), disabled_at = now(), disabled_reason = $3,
                              updated_at = now()
         WHERE id = $1 AND status = 'ACTIVE' RETURNING disabled_at, failing_since`,
        [endpointId, health.since, health.reason],
      );
      const row = rows[0];
      return row ? { reason: health.reason, failingSince: row.failing_since, disabledAt: row.disabled_at } : undefined;
    }
  }
}
