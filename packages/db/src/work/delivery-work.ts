import type pg from "pg";
import { newId } from "@hookline/core";
import type { Database } from "../client.js";
import { openSecret, signingSecrets } from "../secrets/endpoint-secrets.js";
import { prepared } from "../prepared.js";
import { retryOnConflict } from "../database-errors.js";

/**
 * The worker's side of a delivery, in plain SQL on the shared pool: these run once or twice per
 * attempt, where Prisma's per-query overhead would show (see docs/PERFORMANCE.md).
 */

export interface DeliveryWork {
  readonly id: string;
  readonly tenantId: string;
  readonly status: "pending" | "held" | "succeeded" | "failed";
  readonly attemptCount: number;
  readonly event: {
    readonly id: string;
    readonly eventType: string;
    readonly createdAt: Date;
    readonly data: unknown;
    readonly objectId: string | null;
  };
  readonly endpoint: {
    readonly id: string;
    readonly name: string;
    readonly flavour: "standard" | "monite" | "momentus";
    readonly url: string;
    /** Opened: the current secret first, then any replaced by a rotation that are still in grace. */
    readonly secrets: readonly string[];
    readonly headers: Record<string, string>;
    readonly timeoutSeconds: number;
    readonly status: "ACTIVE" | "PAUSED" | "DISABLED" | "INACTIVE";
    /** Start of the endpoint's current run of failures, if it is in one. */
    readonly failingSince: Date | null;
    readonly oauth?:
      { readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string; readonly scope: string | null } | undefined;
  };
}

interface WorkRow {
  id: string;
  tenant_id: string;
  status: DeliveryWork["status"];
  attempt_count: number;
  event_id: string;
  event_type: string;
  event_created_at: Date;
  data: unknown;
  object_id: string | null;
  endpoint_id: string;
  flavour: "standard" | "monite" | "momentus";
  failing_since: Date | null;
  oauth_token_url: string | null;
  oauth_client_id: string | null;
  oauth_client_secret: string | null;
  oauth_scope: string | null;
  endpoint_name: string;
  url: string;
  secret: string;
  previous_secrets: unknown;
  headers_json: Record<string, string>;
  timeout_seconds: number;
  endpoint_status: DeliveryWork["endpoint"]["status"];
}

const WORK_QUERY = `SELECT d.id, d.tenant_id, d.status, d.attempt_count,
            ev.id AS event_id, ev.event_type, ev.created_at AS event_created_at, ev.data, ev.object_id,
            ep.id AS endpoint_id, ep.name AS endpoint_name, ep.flavour, ep.url, ep.secret, ep.previous_secrets, ep.headers_json, ep.timeout_seconds, ep.status AS endpoint_status, ep.failing_since,
            ep.oauth_token_url, ep.oauth_client_id, ep.oauth_client_secret, ep.oauth_scope
     FROM deliveries d
     JOIN events ev ON ev.id = d.event_id
     JOIN endpoints ep ON ep.id = d.endpoint_id
     WHERE d.id = ANY($1::text[])`;

function toWork(db: Pick<Database, "secrets">, row: WorkRow): DeliveryWork {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    attemptCount: row.attempt_count,
    event: { id: row.event_id, eventType: row.event_type, createdAt: row.event_created_at, data: row.data, objectId: row.object_id },
    endpoint: {
      id: row.endpoint_id,
      name: row.endpoint_name,
      flavour: row.flavour,
      url: row.url,
      secrets: signingSecrets(db.secrets, row.endpoint_id, row.secret, row.previous_secrets, new Date()),
      headers: row.headers_json ?? {},
      timeoutSeconds: row.timeout_seconds,
      status: row.endpoint_status,
      failingSince: row.failing_since,
      oauth:
        row.oauth_token_url && row.oauth_client_id && row.oauth_client_secret
          ? {
              tokenUrl: row.oauth_token_url,
              clientId: row.oauth_client_id,
              clientSecret: openSecret(db.secrets, row.endpoint_id, "oauth_client_secret", row.oauth_client_secret),
              scope: row.oauth_scope,
            }
          : undefined,
    },
  };
}

/** Reads several deliveries with their event and endpoint in one query; undefined for ids that are gone. */
export async function loadDeliveryWorks(
  db: Pick<Database, "pool" | "secrets">,
  deliveryIds: readonly string[],
): Promise<(DeliveryWork | undefined)[]> {
  const { rows } = await prepared<WorkRow>(db.pool, "load-deliveries", WORK_QUERY, [deliveryIds]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return deliveryIds.map((id) => {
    const row = byId.get(id);
    return row && toWork(db, row);
  });
}

export async function loadDeliveryWork(db: Pick<Database, "pool" | "secrets">, deliveryId: string): Promise<DeliveryWork | undefined> {
  return (await loadDeliveryWorks(db, [deliveryId]))[0];
}

/** Parks a due delivery whose endpoint is paused or disabled; resuming releases it. */
export async function holdDelivery(pool: pg.Pool, deliveryId: string): Promise<void> {
  await pool.query(
    `UPDATE deliveries SET status = 'held', next_attempt_at = NULL, updated_at = now() WHERE id = $1 AND status = 'pending'`,
    [deliveryId],
  );
}

export interface AttemptRecord {
  readonly deliveryId: string;
  readonly attemptNumber: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode?: number | undefined;
  readonly errorKind?: string | undefined;
  readonly errorMessage?: string | undefined;
  readonly responseHeaders?: Record<string, string> | undefined;
  readonly responseBody?: string | undefined;
}

export type AttemptConsequence =
  | { readonly status: "succeeded" }
  | { readonly status: "failed"; readonly disableEndpoint?: { readonly reason: string } }
  | { readonly status: "pending"; readonly nextAttemptAt: Date };

export interface EndpointHealthRule {
  readonly endpointId: string;
  /** The start of the endpoint's run of failures when the delivery was read; null if none. */
  readonly failingSince: Date | null;
  /** An endpoint whose attempts have all failed for this long is disabled. */
  readonly disableAfterMs: number;
}

/** What recording the attempt did to the endpoint, for the operational event it may warrant. */
export interface RecordedAttempt {
  readonly recorded: boolean;
  readonly disabledEndpoint?: { readonly reason: string; readonly failingSince: Date | null; readonly disabledAt: Date } | undefined;
}

/**
 * Writes the attempt and its consequence for the delivery in one transaction. The update only
 * applies if no other attempt was recorded in between (attempt_count still one less), so a
 * delivery that two workers raced on records each attempt once; returns false for the loser.
 */
export function recordAttempt(
  pool: pg.Pool,
  attempt: AttemptRecord,
  next: AttemptConsequence,
  rule: EndpointHealthRule,
): Promise<RecordedAttempt> {
  // Locks the delivery, then the endpoint: an endpoint's deletion takes them the other way round.
  return retryOnConflict(() => recordAttemptOnce(pool, attempt, next, rule));
}

async function recordAttemptOnce(
  pool: pg.Pool,
  attempt: AttemptRecord,
  next: AttemptConsequence,
  rule: EndpointHealthRule,
): Promise<RecordedAttempt> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const updated = await client.query(
      `UPDATE deliveries
       SET status = $3::delivery_status, attempt_count = $2, last_attempt_at = $4, last_status_code = $5, last_error = $6,
           next_attempt_at = $7, completed_at = CASE WHEN $3::text IN ('succeeded', 'failed') THEN now() ELSE NULL END,
           updated_at = now()
       WHERE id = $1 AND attempt_count = $2::int - 1 AND status = 'pending'`,
      [
        attempt.deliveryId,
        attempt.attemptNumber,
        next.status,
        attempt.startedAt,
        attempt.statusCode ?? null,
        lastError(attempt),
        next.status === "pending" ? next.nextAttemptAt : null,
      ],
    );
    if (updated.rowCount !== 1) {
      await client.query("ROLLBACK");
      return { recorded: false };
    }
    await client.query(
      `INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, status_code, error_kind, error_message,
                             response_headers, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
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
      ],
    );
    const disabledEndpoint = await trackEndpointHealth(client, rule, attempt, next);
    await client.query("COMMIT");
    return { recorded: true, disabledEndpoint };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Does recording this attempt change the endpoint's health (`failing_since`, or disabling it)?
 * Only at the edges of a run of failures: the first failure, the first success after failures,
 * a 410 Gone, and the run reaching `disableAfterMs`. Every other attempt, the usual case for
 * healthy and for failing endpoints alike, leaves the endpoint row alone and can be recorded in a
 * group with others.
 */
export function changesEndpointHealth(rule: EndpointHealthRule, next: AttemptConsequence, now = Date.now()): boolean {
  if (next.status === "succeeded") return rule.failingSince !== null;
  if (next.status === "failed" && next.disableEndpoint) return true;
  return rule.failingSince === null || now - rule.failingSince.getTime() >= rule.disableAfterMs;
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
       RETURNING d.id
     )
     INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, status_code, error_kind, error_message,
                           response_headers, response_body)
     SELECT i.attempt_id, i.delivery_id, i.attempt_number, i.started_at, i.duration_ms, i.status_code, i.error_kind, i.error_message,
            i.response_headers, i.response_body
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
        column(lastError),
      ],
    ),
  );
  const recorded = new Set(rows.map((row) => row.delivery_id));
  return all.map((a, i) => firsts.get(a.attempt.deliveryId) === i && recorded.has(a.attempt.deliveryId));
}

/** The delivery's `last_error`: the attempt's error kind and message, at most 500 characters. */
function lastError(attempt: AttemptRecord): string | null {
  return attempt.errorKind ? `${attempt.errorKind}: ${attempt.errorMessage ?? ""}`.slice(0, 500) : null;
}

/**
 * Keeps `failing_since` (the start of the current run of failures) and disables the endpoint
 * when the receiver said 410 Gone or when the run has lasted `disableAfterMs`.
 */
async function trackEndpointHealth(
  client: pg.PoolClient,
  rule: EndpointHealthRule,
  attempt: AttemptRecord,
  next: AttemptConsequence,
): Promise<RecordedAttempt["disabledEndpoint"]> {
  if (next.status === "succeeded") {
    // Healthy endpoints (the usual case) cost no write here.
    if (rule.failingSince !== null) await client.query(`UPDATE endpoints SET failing_since = NULL WHERE id = $1`, [rule.endpointId]);
    return undefined;
  }
  const { rows } = await client.query<{ failing_since: Date }>(
    `UPDATE endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1 RETURNING failing_since`,
    [rule.endpointId, attempt.startedAt],
  );
  const failingSince = rows[0]?.failing_since ?? null;
  let reason: string | undefined;
  if (next.status === "failed" && next.disableEndpoint) reason = next.disableEndpoint.reason;
  else if (failingSince && Date.now() - failingSince.getTime() >= rule.disableAfterMs) {
    reason = `every attempt has failed since ${failingSince.toISOString()}`;
  }
  if (!reason) return undefined;
  const disabled = await client.query<{ disabled_at: Date }>(
    `UPDATE endpoints SET status = 'DISABLED', disabled_at = now(), disabled_reason = $2, updated_at = now()
     WHERE id = $1 AND status = 'ACTIVE' RETURNING disabled_at`,
    [rule.endpointId, reason],
  );
  const disabledAt = disabled.rows[0]?.disabled_at;
  return disabledAt ? { reason, failingSince, disabledAt } : undefined;
}
