import { EXECUTION_BODY_HEAD_BYTES, REDACTED_REQUEST_HEADERS, type ExecutionOutcomeName } from "@hookline/api-contract";
import type { ExecutionError, ExecutionLogLine, ExecutionRow } from "@hookline/db";

/** What an inbound call brought, as far as its execution record keeps it. */
export interface CallFacts {
  readonly executionId: string;
  readonly tenantId: string;
  readonly endpointId: string;
  readonly environmentId: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly startedAt: Date;
  readonly startedMs: number;
}

export interface CallEnding {
  readonly outcome: ExecutionOutcomeName;
  readonly status: number;
  readonly workflowVersion?: number | null | undefined;
  readonly body?: string | undefined;
  readonly bodySize?: number | undefined;
  readonly logs?: readonly ExecutionLogLine[] | undefined;
  readonly logsTruncated?: boolean | undefined;
  readonly error?: ExecutionError | null | undefined;
  readonly publishedEventIds?: readonly string[] | undefined;
}

const REDACTED = new Set<string>(REDACTED_REQUEST_HEADERS);

/** Postgres text and jsonb cannot hold U+0000; anything a caller or a workflow wrote may. */
export const storable = (text: string): string => (text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text);

/** The first `EXECUTION_BODY_HEAD_BYTES` bytes of the body, cut at a character boundary. */
function bodyHead(body: string): string {
  const bytes = Buffer.from(body.slice(0, EXECUTION_BODY_HEAD_BYTES), "utf8");
  if (bytes.length <= EXECUTION_BODY_HEAD_BYTES) return storable(bytes.toString("utf8"));
  return storable(
    bytes
      .subarray(0, EXECUTION_BODY_HEAD_BYTES)
      .toString("utf8")
      .replace(/\uFFFD$/, ""),
  );
}

/** Request headers as recorded: the caller's credentials replaced, repeated headers joined. */
export function recordedHeaders(headers: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const kept = REDACTED.has(name) ? "[redacted]" : storable(value);
    out[name] = out[name] === undefined ? kept : `${out[name]}, ${kept}`;
  }
  return out;
}

export function executionRow(facts: CallFacts, ending: CallEnding): ExecutionRow {
  return {
    id: facts.executionId,
    tenant_id: facts.tenantId,
    endpoint_id: facts.endpointId,
    environment_id: facts.environmentId,
    workflow_version: ending.workflowVersion ?? null,
    method: facts.method,
    path: storable(facts.path),
    query: storable(facts.query),
    request_headers: recordedHeaders(facts.headers),
    body_size: ending.bodySize ?? (ending.body === undefined ? 0 : Buffer.byteLength(ending.body)),
    body_head: ending.body === undefined ? "" : bodyHead(ending.body),
    status: ending.status,
    duration_ms: Math.round(performance.now() - facts.startedMs),
    outcome: ending.outcome,
    logs: (ending.logs ?? []).map((line) => ({ level: line.level, message: storable(line.message), at: line.at })),
    logs_truncated: ending.logsTruncated ?? false,
    error: ending.error ? { ...ending.error, message: storable(ending.error.message), name: storable(ending.error.name) } : null,
    published_event_ids: ending.publishedEventIds ?? [],
    created_at: facts.startedAt.toISOString(),
  };
}
