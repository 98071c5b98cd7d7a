import { iso } from "../timestamps.js";

/** A call of a trigger URL or a test invocation, and the run of its flow. */
export interface FlowExecutionRecord {
  readonly id: string;
  readonly integrationId: string;
  readonly instanceId: string | null;
  readonly customerId: string | null;
  readonly version: number | null;
  readonly flowName: string | null;
  readonly triggerKind: string | null;
  readonly isTest: boolean;
  readonly status: "queued" | "running" | "succeeded" | "failed" | "refused";
  readonly attempt: number;
  readonly method: string;
  readonly requestHeaders: Record<string, string>;
  readonly bodySize: number;
  readonly answerStatus: number;
  readonly preprocess: unknown;
  readonly result: unknown;
  readonly logs: unknown;
  readonly error: unknown;
  readonly publishedEventIds: readonly string[];
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface FlowExecutionResponse {
  id: string;
  kind: "flow";
  integration_id: string;
  instance_id: string | null;
  customer_id: string | null;
  version: number | null;
  flow_name: string | null;
  trigger: string | null;
  test: boolean;
  /** queued, running, succeeded, failed; refused when routing or security turned the call away. */
  status: FlowExecutionRecord["status"];
  /** Runs so far: more than one when a worker died mid-flow and another ran it again. */
  attempt: number;
  method: string;
  request_headers: Record<string, string>;
  body_size: number;
  /** What the caller was answered. */
  answer_status: number;
  /** The preprocess flow's step, when one chose the flow: its result, logs and error. */
  preprocess: unknown;
  result: unknown;
  logs: unknown;
  error: unknown;
  published_event_ids: string[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export function presentFlowExecution(execution: FlowExecutionRecord): FlowExecutionResponse {
  return {
    id: execution.id,
    kind: "flow",
    integration_id: execution.integrationId,
    instance_id: execution.instanceId,
    customer_id: execution.customerId,
    version: execution.version,
    flow_name: execution.flowName,
    trigger: execution.triggerKind,
    test: execution.isTest,
    status: execution.status,
    attempt: execution.attempt,
    method: execution.method,
    request_headers: execution.requestHeaders,
    body_size: execution.bodySize,
    answer_status: execution.answerStatus,
    preprocess: execution.preprocess,
    result: execution.result,
    logs: execution.logs,
    error: execution.error,
    published_event_ids: [...execution.publishedEventIds],
    created_at: iso(execution.createdAt),
    started_at: iso(execution.startedAt),
    finished_at: iso(execution.finishedAt),
  };
}
