import type pg from "pg";
import type { DeliveryWork } from "@hookline/core";
import type { Database } from "../client.js";
import { openSecret, signingSecrets } from "../endpoints/endpoint-secrets.js";
import { prepared } from "../prepared.js";

/*
 * The worker's reads of a delivery, in plain SQL on the shared pool: they run once or twice per
 * attempt, where Prisma's per-query overhead would show (see docs/PERFORMANCE.md).
 */

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
  flavour: DeliveryWork["endpoint"]["flavour"];
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
  send_traceparent: boolean;
}

const WORK_QUERY = `SELECT d.id, d.tenant_id, d.status, d.attempt_count,
            ev.id AS event_id, ev.event_type, ev.created_at AS event_created_at, ev.data, ev.object_id,
            ep.id AS endpoint_id, ep.name AS endpoint_name, ep.flavour, ep.url, ep.secret, ep.previous_secrets, ep.headers_json,
            ep.timeout_seconds, ep.status AS endpoint_status, ep.failing_since, ep.send_traceparent,
            ep.oauth_token_url, ep.oauth_client_id, ep.oauth_client_secret, ep.oauth_scope
     FROM deliveries d
     JOIN events ev ON ev.id = d.event_id
     JOIN endpoints ep ON ep.id = d.endpoint_id AND ep.deleted_at IS NULL
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
      sendTraceparent: row.send_traceparent,
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

/** Parks a due delivery whose endpoint is paused or disabled; resuming releases it. */
export async function holdDelivery(pool: pg.Pool, deliveryId: string): Promise<void> {
  await pool.query(
    `UPDATE deliveries SET status = 'held', next_attempt_at = NULL, updated_at = now() WHERE id = $1 AND status = 'pending'`,
    [deliveryId],
  );
}
