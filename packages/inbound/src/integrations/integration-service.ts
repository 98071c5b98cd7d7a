import type { TestInvocationBody } from "@hookline/api-contract";
import {
  AppError,
  errorType,
  newId,
  type IntegrationDefinition,
  type Logger,
  type StoredFlow,
  type Traceparent,
  type Tracing,
  type TraceSpan,
} from "@hookline/core";
import {
  batcher,
  findInstanceForCustomer,
  insertFlowExecution,
  instanceKeyOpens,
  latestDeployedVersion,
  loadInstanceTarget,
  loadIntegrationVersion,
  loadTrigger,
  openInstanceConfig,
  organizationKeyOpens,
  tenantScope,
  type Database,
  type FlowExecution,
  type InstanceTarget,
  type NewFlowExecution,
  type TenantScope,
  type TriggerTarget,
} from "@hookline/db";
import type { Scheduler } from "@hookline/queue";
import type { CompileProblem, WorkflowRequest } from "@hookline/sandbox";
import { liveHostCalls, type HostCallOptions } from "../host-calls.js";
import type { Sandbox } from "../inbound-service.js";
import { headerValue, parsePayload } from "./request-fields.js";
import { routeCall, type PreprocessStep } from "./routing.js";
import { runFlow, type FlowContext } from "./run-flow.js";

/** The header a caller sends a flow's API key in (seed 004). */
export const API_KEY_HEADER = "api-key";

/** A call of `/api/v1/trigger/<token>`, its body read. */
export interface TriggerCall {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly query: string;
  /** Lower-case names. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly log: Logger;
}

export type TriggerAnswer =
  | { readonly kind: "queued"; readonly executionId: string }
  | { readonly kind: "refused"; readonly error: AppError; readonly executionId: string | undefined };

export interface IntegrationServiceOptions {
  readonly db: Database;
  readonly sandbox: Sandbox;
  readonly scheduler: Pick<Scheduler, "flowsDue">;
  readonly hostOptions: HostCallOptions;
  readonly logger: Logger;
  /** Tracing, when on: a `trigger call` span per call, whose traceparent the flow's job carries. */
  readonly tracing?: Tracing | undefined;
  /** The same compile as inbound workflows (types stripped, imports refused, syntax checked). */
  readonly compile: (source: string) => Promise<{ ok: true; js: string } | { ok: false; problems: CompileProblem[] }>;
}

export interface IntegrationService {
  compile: IntegrationServiceOptions["compile"];
  /** What a token names, before anything else is read (the tenant's rate limit comes next). */
  resolve(token: string): Promise<TriggerTarget | null>;
  /** Routes the call, checks its key, stores it and queues its flow; or refuses it, recorded. */
  dispatch(target: TriggerTarget, call: TriggerCall): Promise<TriggerAnswer>;
  /** Runs the draft on a sample call as the test customer, at once; null when the integration is not the tenant's. */
  test(scope: TenantScope, integrationId: string, body: TestInvocationBody, log: Logger): Promise<FlowExecution | null>;
}

/** Request headers as stored with an execution: the caller's key to Hookline is not kept. */
const storedHeaders = (headers: readonly (readonly [string, string])[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name === API_KEY_HEADER) continue;
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
};

/** A version's definition, cached: published versions never change. */
function definitionCache(db: Database) {
  const cache = new Map<string, IntegrationDefinition>();
  return async (tenantId: string, integrationId: string, version: number): Promise<IntegrationDefinition | null> => {
    const key = `${integrationId}:${version}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const loaded = await loadIntegrationVersion(db, tenantId, integrationId, version);
    if (loaded) {
      if (cache.size >= 1000) cache.clear();
      cache.set(key, loaded);
    }
    return loaded;
  };
}

export function createIntegrationService(options: IntegrationServiceOptions): IntegrationService {
  const { db, sandbox, logger, tracing } = options;
  const definition = definitionCache(db);
  // Calls stored together are queued together: one bulk add to Redis for all of them.
  const enqueue = batcher<{ id: string; log: Logger; traceparent: Traceparent | undefined }, boolean>(
    async (calls) => {
      const queued = await options.scheduler.flowsDue(
        calls.map((call) => call.id),
        calls[0]!.log,
        tracing && calls.map((call) => call.traceparent),
      );
      return calls.map(() => queued);
    },
    { maxBatch: 200, maxConcurrent: 2 },
  );

  const keyOpens = async (target: { tenantId: string }, instance: InstanceTarget, flow: StoredFlow, presented: string | undefined) => {
    if (flow.security.type === "none") return true;
    if (presented === undefined || presented.length === 0 || presented.length > 512) return false;
    if (flow.security.type === "organization") return organizationKeyOpens(flow.security.keyHash, presented);
    return instanceKeyOpens(db, target.tenantId, instance.id, flow.name, presented);
  };

  /** Routes the call, checks its key, stores it and queues its flow (see IntegrationService.dispatch). */
  async function dispatch(target: TriggerTarget, call: TriggerCall, trace: TraceSpan | undefined): Promise<TriggerAnswer> {
    const executionId = newId("execution");
    const scope = tenantScope(db, target.tenantId);
    const base = {
      id: executionId,
      tenantId: target.tenantId,
      integrationId: target.integrationId,
      triggerKind: target.kind,
      isTest: false,
      method: call.method,
      requestHeaders: storedHeaders(call.headers),
      bodySize: Buffer.byteLength(call.body),
    } as const;
    const refuse = async (error: AppError, found: Partial<NewFlowExecution> = {}): Promise<TriggerAnswer> => {
      await insertFlowExecution(db, {
        instanceId: null,
        customerId: null,
        version: null,
        flowName: null,
        ...base,
        ...found,
        status: "refused",
        body: "",
        answerStatus: error.status,
        preprocess: found.preprocess ?? null,
        error: { code: error.code, message: error.message, details: error.details },
      });
      return { kind: "refused", error, executionId };
    };

    // Which instance and version: the trigger's own instance, or for a shared endpoint the
    // latest version deployed to some customer (its instance is found once routing names the customer).
    let instance: InstanceTarget | null = null;
    let version: number | null;
    if (target.instanceId !== null) {
      instance = await loadInstanceTarget(db, target.tenantId, target.instanceId);
      if (!instance) return { kind: "refused", error: AppError.notFound("The trigger"), executionId: undefined };
      version = instance.version;
    } else {
      version = await latestDeployedVersion(db, target.tenantId, target.integrationId);
      if (version === null)
        return refuse(
          new AppError({ status: 404, code: "not_found", message: "No customer has an instance of this integration deployed." }),
        );
    }
    const defined = await definition(target.tenantId, target.integrationId, version);
    if (!defined) return refuse(AppError.notFound("The integration's version"));

    const request = flowRequest(call);
    const routed = await routeCall({
      definition: defined,
      kind: target.kind,
      triggerFlow: target.flowName,
      headers: call.headers,
      payload: parsePayload(call.body),
      runPreprocess: async (flow) => {
        // A shared endpoint's preprocess flow runs as a system instance: no customer, no config.
        const run = await runFlow(sandbox, {
          tenantId: target.tenantId,
          codeKey: `${target.integrationId}:${version}:${flow.name}:${instance?.id ?? "system"}`,
          flow,
          request,
          env: instance ? openInstanceConfig(db.secrets, instance.id, instance.config) : {},
          context: {
            customer: instance
              ? { id: instance.customer.id, external_id: instance.customer.externalId, name: instance.customer.name }
              : null,
            flow: { name: flow.name, attempt: 1, execution_id: executionId },
          },
          host: liveHostCalls(options.hostOptions, scope, () => call.log, trace),
        });
        const step: PreprocessStep = { flow: flow.name, outcome: run.outcome, result: run.result, logs: run.logs, error: run.error };
        return { ok: run.ok, result: run.result, step };
      },
    });
    const known = { instanceId: instance?.id ?? null, customerId: instance?.customer.id ?? null, version };
    if (!routed.ok) return refuse(routed.error, { ...known, preprocess: routed.preprocess });
    if (routed.customerExternalId !== undefined) {
      instance = await findInstanceForCustomer(db, target.tenantId, target.integrationId, routed.customerExternalId);
      if (!instance) {
        return refuse(
          new AppError({
            status: 404,
            code: "not_found",
            message: `No customer with the external id ${JSON.stringify(routed.customerExternalId)} has an instance of this integration.`,
          }),
          { version, flowName: routed.flow.name, preprocess: routed.preprocess },
        );
      }
    }
    const routedInstance = instance as InstanceTarget;
    // The instance's own version decides its flows (a shared endpoint routes by the latest deployed version's configuration).
    const flows =
      routedInstance.version === version ? defined : await definition(target.tenantId, target.integrationId, routedInstance.version);
    const flow = flows?.flows.find((f) => f.name === routed.flow.name);
    const found = {
      instanceId: routedInstance.id,
      customerId: routedInstance.customer.id,
      version: routedInstance.version,
      flowName: routed.flow.name,
      preprocess: routed.preprocess,
    };
    if (!flow)
      return refuse(
        new AppError({
          status: 404,
          code: "not_found",
          message: `The customer's version has no flow named ${JSON.stringify(routed.flow.name)}.`,
        }),
        found,
      );
    if (!(await keyOpens(target, routedInstance, flow, headerValue(call.headers, API_KEY_HEADER)))) {
      return refuse(AppError.unauthorized("This flow needs a valid key in the Api-Key header."), found);
    }

    await insertFlowExecution(db, { ...base, ...found, status: "queued", body: call.body, answerStatus: 200, error: null });
    // Not queued (Redis away)? The row is queued in Postgres; the sweeper enqueues it.
    await enqueue({ id: executionId, log: call.log, traceparent: trace?.traceparent() });
    return { kind: "queued", executionId };
  }

  return {
    compile: options.compile,

    resolve: (token) => (/^[A-Za-z0-9_-]{43}$/.test(token) ? loadTrigger(db, token) : Promise.resolve(null)),

    async dispatch(target, call) {
      // Under the caller's trace when it sent a traceparent; the flow's job carries this span's.
      const span = tracing?.start("trigger call", {
        kind: "server",
        parent: headerValue(call.headers, "traceparent"),
        attributes: {
          "http.request.method": call.method,
          "hookline.tenant.id": target.tenantId,
          "hookline.integration.id": target.integrationId,
        },
      });
      if (!span) return dispatch(target, call, undefined);
      try {
        const answer = await dispatch(target, call, span);
        span.set({ "hookline.execution.id": answer.executionId, "hookline.trigger.outcome": answer.kind });
        if (answer.kind === "refused") span.fail(answer.error.code);
        return answer;
      } catch (error) {
        span.fail(errorType(error));
        throw error;
      } finally {
        span.end();
      }
    },

    async test(scope, integrationId, body, log) {
      const draft = await scope.integrations.draft(integrationId);
      if (!draft) return null;
      const customer = await scope.customers.testCustomer();
      const executionId = newId("execution");
      const headers = Object.entries(body.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const);
      const call: TriggerCall = {
        method: body.method ?? "POST",
        url: "https://test.invalid/api/v1/trigger/test",
        path: "/",
        query: "",
        headers,
        body: body.body ?? "",
        log,
      };
      const request = flowRequest(call);
      const env = { ...(body.config ?? {}) };
      const context = (flow: StoredFlow): FlowContext => ({
        customer: { id: customer.id, external_id: customer.externalId, name: customer.name },
        flow: { name: flow.name, attempt: 1, execution_id: executionId },
      });
      const run = (flow: StoredFlow) =>
        runFlow(sandbox, {
          tenantId: scope.tenantId,
          codeKey: `test:${integrationId}:${executionId}:${flow.name}`,
          flow,
          request,
          env,
          context: context(flow),
          host: liveHostCalls(options.hostOptions, scope, () => log),
        });
      const type = draft.endpointConfig.type;
      const routed = await routeCall({
        definition: draft,
        kind: type === "instance_and_flow" ? "instance_flow" : type,
        triggerFlow: body.flow ?? (draft.flows.length === 1 ? draft.flows[0]!.name : null),
        headers,
        payload: parsePayload(call.body),
        runPreprocess: async (flow) => {
          const result = await run(flow);
          return {
            ok: result.ok,
            result: result.result,
            step: { flow: flow.name, outcome: result.outcome, result: result.result, logs: result.logs, error: result.error },
          };
        },
      });
      const common = {
        id: executionId,
        tenantId: scope.tenantId,
        integrationId,
        instanceId: null,
        customerId: customer.id,
        version: null,
        triggerKind: type === "instance_and_flow" ? ("instance_flow" as const) : type,
        isTest: true,
        method: call.method,
        requestHeaders: storedHeaders(headers),
        body: "",
        bodySize: Buffer.byteLength(call.body),
      };
      if (!routed.ok) {
        await insertFlowExecution(db, {
          ...common,
          flowName: null,
          status: "refused",
          answerStatus: routed.error.status,
          preprocess: routed.preprocess ?? null,
          error: { code: routed.error.code, message: routed.error.message, details: routed.error.details },
        });
      } else {
        // Whatever customer the call names, the test customer's run is the one that happens.
        const result = await run(routed.flow);
        await insertFlowExecution(db, {
          ...common,
          flowName: routed.flow.name,
          status: result.ok ? "succeeded" : "failed",
          answerStatus: 200,
          preprocess: routed.preprocess ?? null,
          result: result.result,
          logs: result.logs,
          error: result.error,
          publishedEventIds: result.publishedEventIds,
        });
      }
      logger.debug({ execution_id: executionId }, "test invocation recorded");
      return scope.flowExecutions.find(executionId);
    },
  };
}

/** The request a flow sees: the call as it came (its body as text). */
export function flowRequest(call: Pick<TriggerCall, "method" | "url" | "path" | "query" | "headers" | "body">): WorkflowRequest {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(call.query)) if (!(name in query)) query[name] = value;
  return {
    method: call.method,
    url: call.url,
    path: call.path,
    params: {},
    query,
    headers: call.headers.map(([n, v]) => [n, v]),
    body: call.body,
  };
}
