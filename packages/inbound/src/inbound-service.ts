import type { ExecutionOutcomeName } from "@hookline/api-contract";
import { AppError, isId, newId, type Logger, type Tracing } from "@hookline/core";
import {
  loadCompiledWorkflow,
  loadInboundRoutes,
  openVariables,
  tenantScope,
  type Database,
  type InboundRoutes,
  type ServedEndpoint,
} from "@hookline/db";
import type { HttpClient } from "@hookline/delivery";
import type { Publisher } from "@hookline/publishing";
import { compileWorkflow, type CompileProblem, type InvocationResult, type SandboxLimits, type SandboxPool } from "@hookline/sandbox";
import { answerFor, type InboundAnswer } from "./answers.js";
import { CodeCache } from "./code-cache.js";
import { createExecutionRecorder, type ExecutionRecorder } from "./execution-recorder.js";
import { executionRow, type CallFacts, type CallEnding } from "./execution-row.js";
import { liveHostCalls, type HostCallOptions } from "./host-calls.js";
import { executionSeconds, executionsTotal } from "./metrics.js";
import { keyOpens, matchRoute } from "./routing.js";
import { runPreview, type PreviewInput } from "./preview.js";
import type { PreviewResponse } from "@hookline/api-contract";
import type { InboundEndpoint, TenantScope } from "@hookline/db";

/** What the service needs of the sandbox pool (the API starts its threads on first use). */
export type Sandbox = Pick<SandboxPool, "run" | "check">;

/** A call of `/api/v1/envs/<environmentId>/endpoints/<path>` as it arrived. */
export interface InboundCall {
  readonly environmentId: string;
  readonly method: string;
  /** The path after `/endpoints`, like `/orders/42`. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  /** The full URL the caller used (the workflow's `request.url`). */
  readonly url: string;
  /** Lower-case names, in the order they came. */
  readonly headers: readonly (readonly [string, string])[];
  readonly log: Logger;
}

/**
 * A call routed to its endpoint, taken through the rest of its life one step at a time by the
 * HTTP layer (which reads the body between `admit` and `run`). Every step that ends the call
 * records its execution.
 */
export interface RoutedCall {
  readonly tenantId: string;
  readonly executionId: string;
  readonly endpointId: string;
  /** The key check and the workflow's state: an error (401, 503) ends the call, recorded. */
  admit(presentedKey: string | undefined): AppError | undefined;
  /** The body was larger than allowed: 413, recorded. */
  tooLarge(bodySize: number | undefined): AppError;
  /** Runs the workflow on the body and records what it did. */
  run(body: string): Promise<InboundAnswer>;
}

export interface InboundServiceOptions {
  readonly db: Database;
  readonly publisher: Publisher;
  readonly sandbox: Sandbox;
  readonly limits: SandboxLimits;
  /** The SSRF-guarded client `utils.fetch` goes through. */
  readonly http: HttpClient;
  readonly fetchResponseMaxBytes: number;
  readonly logger: Logger;
  /** Compiled workflows kept in memory, in bytes. */
  readonly codeCacheBytes?: number;
  /** Tracing, when on: an `inbound call` span per routed call, with the workflow's publishes under it. */
  readonly tracing?: Tracing | undefined;
}

export interface InboundService {
  /** A refusal (404, 405 with the methods the path answers) or the routed call; nothing is recorded yet. */
  route(call: InboundCall): Promise<{ outcome: "refused"; error: AppError; allow?: string[] } | { outcome: "routed"; call: RoutedCall }>;
  /**
   * A browser's CORS preflight (OPTIONS with Access-Control-Request-Method): the methods the path
   * answers in this environment, or none. No workflow runs and nothing is recorded; the workflow's
   * own response decides, with its Access-Control-Allow-Origin, what the page may read.
   */
  preflight(environmentId: string, path: string): Promise<string[]>;
  /** TypeScript to the JavaScript the sandbox runs; problems name their line and column. */
  compile(source: string): Promise<{ ok: true; js: string } | { ok: false; problems: CompileProblem[] }>;
  preview(scope: TenantScope, endpoint: InboundEndpoint, input: PreviewInput, log: Logger): Promise<PreviewResponse>;
  /** Writes the executions still pending. */
  close(): Promise<void>;
}

const notFound = (call: InboundCall) =>
  new AppError({ status: 404, code: "not_found", message: `No inbound endpoint answers ${call.method} ${call.path} in this environment.` });

function query(raw: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) if (!(name in params)) params[name] = value;
  return params;
}

export function createInboundService(options: InboundServiceOptions): InboundService {
  const { db, sandbox, limits, logger, tracing } = options;
  const recorder: ExecutionRecorder = createExecutionRecorder({ db, logger });
  const code = new CodeCache(options.codeCacheBytes ?? 64 * 1024 * 1024);
  const hostOptions: HostCallOptions = {
    publisher: options.publisher,
    http: options.http,
    fetchResponseMaxBytes: options.fetchResponseMaxBytes,
    logger,
  };

  const finish = (facts: CallFacts, ending: CallEnding): void => {
    executionsTotal.inc({ outcome: ending.outcome });
    executionSeconds.observe({ outcome: ending.outcome }, (performance.now() - facts.startedMs) / 1000);
    recorder.record(executionRow(facts, ending));
  };

  const compiledCode = async (tenantId: string, versionId: string): Promise<string | null> => {
    const cached = code.get(versionId);
    if (cached !== undefined) return cached;
    const loaded = await loadCompiledWorkflow(db, tenantId, versionId);
    if (loaded !== null) code.set(versionId, loaded);
    return loaded;
  };

  function routed(call: InboundCall, routes: InboundRoutes, endpoint: ServedEndpoint, params: Record<string, string>): RoutedCall {
    const facts: CallFacts = {
      executionId: newId("execution"),
      tenantId: routes.tenantId,
      endpointId: endpoint.id,
      environmentId: routes.environmentId,
      method: call.method,
      path: call.path,
      query: call.query,
      headers: call.headers,
      startedAt: new Date(),
      startedMs: performance.now(),
    };
    // Under the caller's trace when it sent a traceparent; ended with the execution, whatever ends it.
    const span = tracing?.start("inbound call", {
      kind: "server",
      parent: call.headers.find(([name]) => name === "traceparent")?.[1],
      attributes: {
        "http.request.method": call.method,
        "hookline.tenant.id": routes.tenantId,
        "hookline.environment.id": routes.environmentId,
        "hookline.inbound_endpoint.id": endpoint.id,
        "hookline.execution.id": facts.executionId,
      },
    });
    const ended = (ending: CallEnding): void => {
      finish(facts, ending);
      if (!span) return;
      span.set({
        "http.response.status_code": ending.status,
        "hookline.execution.outcome": ending.outcome,
        "hookline.workflow.version": ending.workflowVersion ?? undefined,
      });
      if (ending.outcome !== "ok") span.fail(ending.outcome);
      span.end();
    };
    const refuse = (outcome: ExecutionOutcomeName, error: AppError, ending: Partial<CallEnding> = {}): AppError => {
      ended({ outcome, status: error.status, workflowVersion: endpoint.version?.number, ...ending });
      return error;
    };
    // Made only when something is logged: most calls log nothing of their own.
    let child: Logger | undefined;
    const log = (): Logger =>
      (child ??= call.log.child({ execution_id: facts.executionId, endpoint_id: endpoint.id, environment_id: routes.environmentId }));

    return {
      tenantId: routes.tenantId,
      executionId: facts.executionId,
      endpointId: endpoint.id,

      admit(presentedKey) {
        if (!keyOpens(endpoint.accessLevel, presentedKey, routes)) {
          const message =
            presentedKey === undefined
              ? `This endpoint needs the environment's ${endpoint.accessLevel === "secret_key" ? "secret" : "public or secret"} key in X-MOS-Key.`
              : "The key in X-MOS-Key does not open this endpoint.";
          return refuse("unauthorized", AppError.unauthorized(message));
        }
        if (!endpoint.enabled) {
          return refuse(
            "disabled",
            new AppError({ status: 503, code: "workflow_disabled", message: "The endpoint's workflow is disabled." }),
          );
        }
        if (!endpoint.version) {
          const message =
            routes.kind === "live"
              ? "The endpoint's workflow has not been published: live environments run the published version."
              : "The endpoint has no workflow yet: save one first.";
          return refuse("disabled", new AppError({ status: 503, code: "workflow_disabled", message }));
        }
        return undefined;
      },

      tooLarge(bodySize) {
        return refuse(
          "too_large",
          new AppError({
            status: 413,
            code: "payload_too_large",
            message: "The request body is larger than the 5 MB an inbound endpoint accepts.",
          }),
          { bodySize },
        );
      },

      async run(body) {
        const version = endpoint.version!;
        const js = await compiledCode(routes.tenantId, version.id);
        const variables = openVariables(db.secrets, routes.environmentId, routes.variables);
        // Deleted between the routing and now: as if it had not been found.
        if (js === null) {
          span?.end();
          return { kind: "error", error: notFound(call) };
        }
        const result: InvocationResult = await sandbox.run({
          tenantId: routes.tenantId,
          // The sandbox may keep a workflow's context warm for the next call with the same key:
          // one per version and environment, so no state crosses from preview to live.
          codeKey: `${version.id}:${routes.environmentId}`,
          js,
          request: {
            method: call.method,
            url: call.url,
            path: call.path,
            params,
            query: query(call.query),
            headers: [...call.headers].map(([n, v]) => [n, v]),
            body,
          },
          env: { ...variables, ENVIRONMENT: routes.kind, ENVIRONMENT_ID: routes.environmentId, ENDPOINT_ID: endpoint.id },
          host: liveHostCalls(hostOptions, tenantScope(db, routes.tenantId), log, span),
        });
        const answer = answerFor(result, limits);
        const status = answer.kind === "response" ? answer.status : answer.error.status;
        if (result.outcome !== "ok") log().warn({ outcome: result.outcome, status }, "workflow did not answer");
        ended({
          outcome: result.outcome,
          status,
          workflowVersion: version.number,
          body,
          logs: result.logs,
          logsTruncated: result.logsTruncated,
          error: result.error
            ? {
                name: result.error.name,
                message: result.error.message,
                ...(result.error.line !== undefined && { line: result.error.line }),
                ...(result.error.column !== undefined && { column: result.error.column }),
              }
            : null,
          publishedEventIds: result.publishedEventIds,
        });
        return answer;
      },
    };
  }

  return {
    async route(call) {
      if (!isId("environment", call.environmentId)) return { outcome: "refused", error: AppError.notFound("The environment") };
      const routes = await loadInboundRoutes(db, call.environmentId);
      if (!routes) return { outcome: "refused", error: AppError.notFound("The environment") };
      const match = matchRoute(routes, call.method, call.path);
      if (match.outcome === "no_endpoint") return { outcome: "refused", error: notFound(call) };
      if (match.outcome === "wrong_method") {
        return {
          outcome: "refused",
          error: new AppError({
            status: 405,
            code: "method_not_allowed",
            message: `${call.path} answers ${match.allowed.join(", ")}, not ${call.method}.`,
          }),
          allow: match.allowed,
        };
      }
      return { outcome: "routed", call: routed(call, routes, match.endpoint, match.params) };
    },

    async preflight(environmentId, path) {
      if (!isId("environment", environmentId)) return [];
      const routes = await loadInboundRoutes(db, environmentId);
      if (!routes) return [];
      const match = matchRoute(routes, "OPTIONS", path);
      return match.outcome === "wrong_method" ? match.allowed : [];
    },

    async compile(source) {
      const compiled = compileWorkflow(source);
      if (!compiled.ok) return compiled;
      const problems = await sandbox.check(compiled.js);
      return problems.length > 0 ? { ok: false, problems } : compiled;
    },

    preview: (scope, endpoint, input, log) => runPreview({ db, sandbox, limits, hostOptions }, scope, endpoint, input, log),

    close: () => recorder.close(),
  };
}
