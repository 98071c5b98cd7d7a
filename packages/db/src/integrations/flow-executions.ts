import type { Database, PrismaClient } from "../client.js";
import type { FlowExecution as FlowExecutionRow } from "../generated/prisma/client.js";
import { toPage, type Page, type PageRequest } from "../pagination.js";

/** A flow execution as it leaves the data layer, its JSON columns typed as the writers wrote them. */
export interface FlowExecution {
  readonly id: string;
  readonly integrationId: string;
  readonly instanceId: string | null;
  readonly customerId: string | null;
  readonly version: number | null;
  readonly flowName: string | null;
  readonly triggerKind: "shared" | "instance" | "instance_flow" | null;
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
  readonly publishedEventIds: string[];
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

const toFlowExecution = ({ body: _body, tenantId: _tenantId, requestHeaders, ...row }: FlowExecutionRow): FlowExecution => ({
  ...row,
  requestHeaders: requestHeaders as Record<string, string>,
});

/** A flow execution as the trigger route writes it: queued (to run) or refused (routing or security said no). */
export interface NewFlowExecution {
  readonly id: string;
  readonly tenantId: string;
  readonly integrationId: string;
  readonly instanceId: string | null;
  readonly customerId: string | null;
  readonly version: number | null;
  readonly flowName: string | null;
  readonly triggerKind: "shared" | "instance" | "instance_flow" | null;
  readonly isTest: boolean;
  readonly status: "queued" | "refused" | "succeeded" | "failed";
  readonly method: string;
  readonly requestHeaders: Record<string, string>;
  /** The stored request body (queued executions: what the flow will read); empty when refused. */
  readonly body: string;
  readonly bodySize: number;
  readonly answerStatus: number;
  readonly preprocess: unknown;
  readonly result?: unknown;
  readonly logs?: unknown;
  readonly error: unknown;
  readonly publishedEventIds?: readonly string[];
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** One statement; the row exists before its job (the caller enqueues after this resolves). */
export async function insertFlowExecution(db: Pick<Database, "pool">, execution: NewFlowExecution): Promise<void> {
  const finished = execution.status === "succeeded" || execution.status === "failed";
  await db.pool.query(
    `INSERT INTO flow_executions (id, tenant_id, integration_id, instance_id, customer_id, version, flow_name, trigger_kind, is_test, status,
                                  attempt, method, request_headers, body, body_size, answer_status, preprocess, result, logs, error,
                                  published_event_ids, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::trigger_kind, $9, $10::flow_execution_status, $11, $12, $13::jsonb, $14, $15, $16,
             $17::jsonb, $18::jsonb, coalesce($19::jsonb, '[]'::jsonb), $20::jsonb, $21::text[], $22, $22)`,
    [
      execution.id,
      execution.tenantId,
      execution.integrationId,
      execution.instanceId,
      execution.customerId,
      execution.version,
      execution.flowName,
      execution.triggerKind,
      execution.isTest,
      execution.status,
      finished ? 1 : 0,
      execution.method,
      JSON.stringify(execution.requestHeaders),
      execution.body,
      execution.bodySize,
      execution.answerStatus,
      json(execution.preprocess),
      json(execution.result),
      json(execution.logs),
      json(execution.error),
      execution.publishedEventIds ?? [],
      finished ? new Date() : null,
    ],
  );
}

/** What a worker needs to run one execution. */
export interface ClaimedFlowExecution {
  readonly id: string;
  readonly tenantId: string;
  readonly integrationId: string;
  readonly instanceId: string;
  readonly customerId: string;
  readonly version: number;
  readonly flowName: string;
  readonly attempt: number;
  readonly method: string;
  readonly requestHeaders: Record<string, string>;
  readonly body: string;
}

/**
 * Takes an execution to run: one more attempt, marked running. A queued one, or a running one
 * whose worker died (its job came back); null for anything finished or gone, which the worker
 * then skips. At least once: a run that dies before it finishes is taken again by the next attempt.
 */
export async function claimFlowExecution(db: Pick<Database, "pool">, id: string): Promise<ClaimedFlowExecution | null> {
  const { rows } = await db.pool.query<{
    id: string;
    tenant_id: string;
    integration_id: string;
    instance_id: string;
    customer_id: string;
    version: number;
    flow_name: string;
    attempt: number;
    method: string;
    request_headers: Record<string, string>;
    body: string;
  }>(
    `UPDATE flow_executions SET status = 'running', attempt = attempt + 1, started_at = now()
     WHERE id = $1 AND status IN ('queued', 'running') AND instance_id IS NOT NULL
     RETURNING id, tenant_id, integration_id, instance_id, customer_id, version, flow_name, attempt, method, request_headers, body`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    integrationId: row.integration_id,
    instanceId: row.instance_id,
    customerId: row.customer_id,
    version: row.version,
    flowName: row.flow_name,
    attempt: row.attempt,
    method: row.method,
    requestHeaders: row.request_headers,
    body: row.body,
  };
}

export interface FlowExecutionEnding {
  readonly status: "succeeded" | "failed";
  readonly result: unknown;
  readonly logs: unknown;
  readonly error: unknown;
  readonly publishedEventIds: readonly string[];
}

/** Records how the run ended, if it is still this attempt's to record (a later attempt wins). */
export async function finishFlowExecution(
  db: Pick<Database, "pool">,
  id: string,
  attempt: number,
  ending: FlowExecutionEnding,
): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE flow_executions
     SET status = $3::flow_execution_status, result = $4::jsonb, logs = logs || $5::jsonb, error = $6::jsonb,
         published_event_ids = coalesce(published_event_ids, '{}') || $7::text[], finished_at = now()
     WHERE id = $1 AND attempt = $2 AND status = 'running'`,
    [id, attempt, ending.status, json(ending.result), JSON.stringify(ending.logs ?? []), json(ending.error), ending.publishedEventIds],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Executions that should be running but may have lost their job (Redis flushed or restarted
 * empty): queued or running for longer than `graceMs`. The sweeper asks the queue which of these
 * have no job, and enqueues those again.
 */
export async function staleFlowExecutions(db: Pick<Database, "pool">, graceMs: number, limit: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM flow_executions
     WHERE status IN ('queued', 'running') AND coalesce(started_at, created_at) <= now() - make_interval(secs => $1::float8 / 1000)
     ORDER BY created_at LIMIT $2`,
    [graceMs, limit],
  );
  return rows.map((row) => row.id);
}

export function flowExecutionRepository(prisma: PrismaClient, tenantId: string) {
  /** Newest first, as inbound executions. */
  const page = async (where: object, request: PageRequest): Promise<Page<FlowExecution>> => {
    const rows = await prisma.flowExecution.findMany({
      where: { tenantId, ...where, ...(request.after !== undefined && { id: { lt: request.after } }) },
      orderBy: { id: "desc" },
      take: request.limit + 1,
    });
    return toPage(rows.map(toFlowExecution), request.limit);
  };
  return {
    find: async (id: string): Promise<FlowExecution | null> => {
      const row = await prisma.flowExecution.findFirst({ where: { id, tenantId } });
      return row && toFlowExecution(row);
    },
    listForInstance: (instanceId: string, request: PageRequest) => page({ instanceId }, request),
    /** An integration's executions, or only those that never reached an instance (`unrouted`). */
    listForIntegration: (integrationId: string, request: PageRequest, options: { unrouted?: boolean } = {}) =>
      page({ integrationId, ...(options.unrouted && { instanceId: null }) }, request),
  };
}

export type FlowExecutionRepository = ReturnType<typeof flowExecutionRepository>;
