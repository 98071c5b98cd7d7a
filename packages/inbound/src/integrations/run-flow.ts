import type { StoredFlow } from "@hookline/core";
import type { HostCalls, InvocationResult, WorkflowRequest } from "@hookline/sandbox";
import type { Sandbox } from "../inbound-service.js";

/** Who a flow runs for, and which run it is: the flow's `customer` and `flow` arguments. */
export interface FlowContext {
  readonly customer: { readonly id: string; readonly external_id: string | null; readonly name: string } | null;
  readonly flow: { readonly name: string; readonly attempt: number; readonly execution_id: string };
}

export interface FlowRunInput {
  readonly tenantId: string;
  /** Unique per flow version and instance: the sandbox may keep its context warm for the next call. */
  readonly codeKey: string;
  readonly flow: StoredFlow;
  readonly request: WorkflowRequest;
  readonly env: Record<string, string>;
  readonly context: FlowContext;
  readonly host: HostCalls;
}

export interface FlowRunResult {
  readonly ok: boolean;
  readonly outcome: InvocationResult["outcome"];
  /** The flow's result, as JSON (null for none). */
  readonly result: unknown;
  readonly logs: InvocationResult["logs"];
  readonly error: { readonly name: string; readonly message: string; readonly line?: number; readonly column?: number } | null;
  readonly publishedEventIds: readonly string[];
}

/** Runs one flow in the sandbox: `export default async ({ request, env, utils, customer, flow }) => result`. */
export async function runFlow(sandbox: Pick<Sandbox, "run">, input: FlowRunInput): Promise<FlowRunResult> {
  const run = await sandbox.run({
    tenantId: input.tenantId,
    codeKey: input.codeKey,
    js: input.flow.compiled,
    kind: "flow",
    context: { customer: input.context.customer, flow: input.context.flow },
    request: input.request,
    env: input.env,
    host: input.host,
  });
  let result: unknown = null;
  if (run.outcome === "ok" && typeof run.result === "string") {
    try {
      result = JSON.parse(run.result) as unknown;
    } catch {
      result = null;
    }
  }
  const error = run.error
    ? {
        name: run.error.name,
        message: run.error.message,
        ...(run.error.line !== undefined && { line: run.error.line }),
        ...(run.error.column !== undefined && { column: run.error.column }),
      }
    : null;
  return { ok: run.outcome === "ok", outcome: run.outcome, result, logs: run.logs, error, publishedEventIds: run.publishedEventIds };
}
