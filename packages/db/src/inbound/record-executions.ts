import type { Database } from "../client.js";
import type { ExecutionError, ExecutionLogLine, ExecutionOutcome } from "./executions.repository.js";

/** An execution as the recorder writes it (snake_case: it goes to Postgres as JSON as it is). */
export interface ExecutionRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly endpoint_id: string;
  readonly environment_id: string;
  readonly workflow_version: number | null;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly request_headers: Record<string, string>;
  readonly body_size: number;
  readonly body_head: string;
  readonly status: number;
  readonly duration_ms: number;
  readonly outcome: ExecutionOutcome;
  readonly logs: readonly ExecutionLogLine[];
  readonly logs_truncated: boolean;
  readonly error: ExecutionError | null;
  readonly published_event_ids: readonly string[];
  readonly created_at: string;
}

/**
 * Writes many executions in one statement. An execution whose endpoint or environment was
 * deleted meanwhile is skipped (the join), rather than failing the whole group on a foreign key.
 */
export async function recordExecutions(db: Pick<Database, "pool">, rows: readonly ExecutionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db.pool.query(
    `INSERT INTO executions (id, tenant_id, endpoint_id, environment_id, workflow_version, method, path, query, request_headers,
                             body_size, body_head, status, duration_ms, outcome, logs, logs_truncated, error, published_event_ids, created_at)
     SELECT x.id, x.tenant_id, x.endpoint_id, x.environment_id, x.workflow_version, x.method, x.path, x.query, x.request_headers,
            x.body_size, x.body_head, x.status, x.duration_ms, x.outcome::execution_outcome, x.logs, x.logs_truncated, x.error,
            ARRAY(SELECT jsonb_array_elements_text(x.published_event_ids)), x.created_at
     FROM jsonb_to_recordset($1::jsonb) AS x(
       id text, tenant_id text, endpoint_id text, environment_id text, workflow_version int, method text, path text, query text,
       request_headers jsonb, body_size int, body_head text, status int, duration_ms int, outcome text, logs jsonb,
       logs_truncated boolean, error jsonb, published_event_ids jsonb, created_at timestamptz)
     JOIN inbound_endpoints ie ON ie.id = x.endpoint_id AND ie.tenant_id = x.tenant_id
     JOIN environments env ON env.id = x.environment_id AND env.tenant_id = x.tenant_id
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
  return result.rowCount ?? 0;
}
