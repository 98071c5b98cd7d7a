import type { Schema } from "ajv";
import { iso } from "../timestamps.js";

/** The record of every call of an inbound endpoint (the seed's observability view). */

export const EXECUTION_OUTCOMES = [
  "ok",
  "error",
  "cpu_limit",
  "timeout",
  "memory_limit",
  "unauthorized",
  "too_large",
  "disabled",
  "busy",
] as const;
export type ExecutionOutcomeName = (typeof EXECUTION_OUTCOMES)[number];
/** The first bytes of a request body kept with its execution. */
export const EXECUTION_BODY_HEAD_BYTES = 4096;
/** Header values never kept: the caller's credentials. */
export const REDACTED_REQUEST_HEADERS = ["x-mos-key", "authorization", "cookie", "proxy-authorization"] as const;

export interface ExecutionsQuery {
  outcome?: ExecutionOutcomeName;
  environment_id?: string;
  limit?: string;
  cursor?: string;
}

export const executionsQuerySchema: Schema = {
  type: "object",
  properties: {
    outcome: { type: "string", enum: [...EXECUTION_OUTCOMES] },
    environment_id: { type: "string", maxLength: 64 },
    limit: { type: "string" },
    cursor: { type: "string" },
  },
};

export interface ExecutionLogLineView {
  readonly level: string;
  readonly message: string;
  readonly at: number;
}

export interface ExecutionErrorView {
  readonly name: string;
  readonly message: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

export interface ExecutionRecord {
  readonly id: string;
  readonly endpointId: string;
  readonly environmentId: string;
  readonly workflowVersion: number | null;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly requestHeaders: Record<string, string>;
  readonly bodySize: number;
  readonly bodyHead: string;
  readonly status: number;
  readonly durationMs: number;
  readonly outcome: ExecutionOutcomeName;
  readonly logs: readonly ExecutionLogLineView[];
  readonly logsTruncated: boolean;
  readonly error: ExecutionErrorView | null;
  readonly publishedEventIds: readonly string[];
  readonly createdAt: Date;
}

export interface ExecutionResponse {
  id: string;
  endpoint_id: string;
  environment_id: string;
  workflow_version: number | null;
  method: string;
  path: string;
  query: string;
  request_headers: Record<string, string>;
  body_size: number;
  body_head: string;
  status: number;
  duration_ms: number;
  outcome: ExecutionOutcomeName;
  logs: ExecutionLogLineView[];
  logs_truncated: boolean;
  error: ExecutionErrorView | null;
  published_event_ids: string[];
  created_at: string;
}

export function presentExecution(execution: ExecutionRecord): ExecutionResponse {
  return {
    id: execution.id,
    endpoint_id: execution.endpointId,
    environment_id: execution.environmentId,
    workflow_version: execution.workflowVersion,
    method: execution.method,
    path: execution.path,
    query: execution.query,
    request_headers: execution.requestHeaders,
    body_size: execution.bodySize,
    body_head: execution.bodyHead,
    status: execution.status,
    duration_ms: execution.durationMs,
    outcome: execution.outcome,
    logs: [...execution.logs],
    logs_truncated: execution.logsTruncated,
    error: execution.error,
    published_event_ids: [...execution.publishedEventIds],
    created_at: iso(execution.createdAt),
  };
}

/** What a preview run answers: the workflow's response and its log, nothing recorded. */
export interface PreviewResponse {
  outcome: ExecutionOutcomeName;
  /** The status the caller would have got. */
  status: number;
  headers: Record<string, string>;
  /** Text, or base64 when `body_encoding` says the workflow answered with bytes. */
  body: string;
  body_encoding: "utf8" | "base64";
  logs: ExecutionLogLineView[];
  logs_truncated: boolean;
  error: ExecutionErrorView | null;
  duration_ms: number;
  /** Events the workflow published: checked like real ones, but not written (a preview has no effects in Hookline). */
  published: { event_type: string; data: unknown; object_id: string | null }[];
}
