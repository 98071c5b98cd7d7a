import { errorType, type Logger, type Traceparent, type Tracing, type TraceSpan } from "@hookline/core";
import {
  claimFlowExecution,
  finishFlowExecution,
  loadInstanceTarget,
  loadIntegrationVersion,
  openInstanceConfig,
  tenantScope,
  type Database,
} from "@hookline/db";
import { liveHostCalls, type HostCallOptions } from "../host-calls.js";
import type { Sandbox } from "../inbound-service.js";
import { flowRequest } from "./integration-service.js";
import { runFlow } from "./run-flow.js";

export interface FlowRunnerOptions {
  readonly db: Database;
  /** A worker runs flows only; it never compiles. */
  readonly sandbox: Pick<Sandbox, "run">;
  readonly hostOptions: HostCallOptions;
  readonly logger: Logger;
  /** Tracing, when on: a `flow run` span per run, under the trigger call that stored it. */
  readonly tracing?: Tracing | undefined;
}

export type FlowRunOutcome = "succeeded" | "failed" | "skipped";

/**
 * The worker's side of a trigger call: one run of one stored execution. The run is claimed (one
 * more attempt) before the flow starts and finished after it, so a worker that dies in between
 * leaves the execution running; its job comes back (BullMQ's lock lapses, or the sweeper finds no
 * job) and the next attempt runs the flow again: at least once, and the flow sees the attempt.
 * A flow that throws or hits a limit has failed: that is its answer, not a reason to run it again.
 */
export function createFlowRunner(options: FlowRunnerOptions) {
  const { tracing } = options;
  /** `parent`: the traceparent of the trigger call that stored the execution, when it was traced. */
  return async function run(executionId: string, parent?: Traceparent): Promise<FlowRunOutcome> {
    const span = tracing?.start("flow run", {
      kind: "consumer",
      parent,
      attributes: { "messaging.system": "bullmq", "messaging.destination.name": "flows", "hookline.execution.id": executionId },
    });
    try {
      const outcome = await runOnce(options, executionId, span);
      span?.set({ "hookline.flow.outcome": outcome });
      if (outcome === "failed") span?.fail("flow_failed");
      return outcome;
    } catch (error) {
      span?.fail(errorType(error));
      throw error;
    } finally {
      span?.end();
    }
  };
}

async function runOnce(options: FlowRunnerOptions, executionId: string, span: TraceSpan | undefined): Promise<FlowRunOutcome> {
  const { db, sandbox, logger } = options;
  const claimed = await claimFlowExecution(db, executionId);
  if (!claimed) return "skipped";
  const log = logger.child({ execution_id: executionId, tenant_id: claimed.tenantId });
  span?.set({ "hookline.tenant.id": claimed.tenantId, "hookline.flow.attempt": claimed.attempt });
  const [instance, definition] = await Promise.all([
    loadInstanceTarget(db, claimed.tenantId, claimed.instanceId),
    loadIntegrationVersion(db, claimed.tenantId, claimed.integrationId, claimed.version),
  ]);
  const flow = definition?.flows.find((f) => f.name === claimed.flowName);
  if (!instance || !flow) {
    // Removed (with its versions) between the call and now: nothing to run.
    await finishFlowExecution(db, executionId, claimed.attempt, {
      status: "failed",
      result: null,
      logs: [],
      error: { name: "NotFound", message: "the instance or its flow no longer exists" },
      publishedEventIds: [],
    });
    return "failed";
  }
  const headers = Object.entries(claimed.requestHeaders);
  const result = await runFlow(sandbox, {
    tenantId: claimed.tenantId,
    codeKey: `${claimed.integrationId}:${claimed.version}:${flow.name}:${instance.id}`,
    flow,
    request: flowRequest({ method: claimed.method, url: "", path: "/", query: "", headers, body: claimed.body }),
    env: openInstanceConfig(db.secrets, instance.id, instance.config),
    context: {
      customer: { id: instance.customer.id, external_id: instance.customer.externalId, name: instance.customer.name },
      flow: { name: flow.name, attempt: claimed.attempt, execution_id: executionId },
    },
    host: liveHostCalls(options.hostOptions, tenantScope(db, claimed.tenantId), () => log, span),
  });
  const status = result.ok ? "succeeded" : "failed";
  await finishFlowExecution(db, executionId, claimed.attempt, {
    status,
    result: result.result,
    logs: result.logs.map((line) => ({ ...line, attempt: claimed.attempt })),
    error: result.error,
    publishedEventIds: result.publishedEventIds,
  });
  if (!result.ok) log.warn({ outcome: result.outcome }, "flow failed");
  return status;
}

export type FlowRunner = ReturnType<typeof createFlowRunner>;
