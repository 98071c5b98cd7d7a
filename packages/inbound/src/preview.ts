import { createHash } from "node:crypto";
import type { PreviewRequestBody, PreviewResponse } from "@hookline/api-contract";
import { AppError, compileInboundPath, isId, type Logger } from "@hookline/core";
import { loadEnvironmentVariables, type Database, type InboundEndpoint, type TenantScope } from "@hookline/db";
import type { SandboxLimits } from "@hookline/sandbox";
import type { Sandbox } from "./inbound-service.js";
import { answerFor } from "./answers.js";
import { previewHostCalls, type HostCallOptions, type PreviewedEvent } from "./host-calls.js";

export interface PreviewInput {
  /** A preview environment of the tenant's; the first one when absent. */
  readonly environmentId?: string | undefined;
  /** Compiled code to try unsaved; the latest saved version when absent. */
  readonly js?: string | undefined;
  readonly request: PreviewRequestBody;
}

interface PreviewDeps {
  readonly db: Database;
  readonly sandbox: Sandbox;
  readonly limits: SandboxLimits;
  readonly hostOptions: HostCallOptions;
}

async function previewEnvironment(scope: TenantScope, environmentId: string | undefined) {
  if (environmentId !== undefined) {
    const environment = isId("environment", environmentId) ? await scope.environments.find(environmentId) : null;
    if (!environment) throw AppError.notFound(`The environment ${environmentId}`);
    if (environment.kind !== "preview") {
      throw AppError.validation([{ field: "environment_id", message: "must be a preview environment: a preview never runs in live" }]);
    }
    return environment;
  }
  const environment = (await scope.environments.all()).find((candidate) => candidate.kind === "preview");
  if (!environment) throw AppError.conflict("The tenant has no preview environment to preview in; create one first.");
  return environment;
}

/**
 * The seed's "Preview": runs the draft on a sample request in a preview environment, with that
 * environment's variables, and answers with what the workflow did. Nothing is recorded, and its
 * publishes are checked but not written (see previewHostCalls); its fetches are real.
 */
export async function runPreview(
  deps: PreviewDeps,
  scope: TenantScope,
  endpoint: InboundEndpoint,
  input: PreviewInput,
  log: Logger,
): Promise<PreviewResponse> {
  const environment = await previewEnvironment(scope, input.environmentId);
  let js = input.js;
  let codeKey: string;
  if (js === undefined) {
    const saved = endpoint.latestVersion === null ? null : await scope.workflows.compiled(endpoint.id, endpoint.latestVersion);
    if (!saved) throw AppError.conflict("The endpoint has no saved workflow to preview; save one, or send `code`.");
    js = saved.compiled;
    codeKey = `preview:${saved.id}:${environment.id}`;
  } else {
    codeKey = `preview:${createHash("sha256").update(js).digest("base64url")}:${environment.id}`;
  }

  const path = input.request.path ?? endpoint.path;
  const params = compileInboundPath(endpoint.path).match(path);
  if (!params) throw AppError.validation([{ field: "request.path", message: `does not match the endpoint's path ${endpoint.path}` }]);
  const queryString = new URLSearchParams(input.request.query ?? {}).toString();
  const body = input.request.body ?? "";
  const published: PreviewedEvent[] = [];
  const started = performance.now();
  const variables = await loadEnvironmentVariables(deps.db, scope.tenantId, environment.id);
  const result = await deps.sandbox.run({
    tenantId: scope.tenantId,
    codeKey,
    js,
    request: {
      method: input.request.method ?? endpoint.method,
      url: `https://preview.invalid/api/v1/envs/${environment.id}/endpoints${path}${queryString ? `?${queryString}` : ""}`,
      path,
      params,
      query: { ...(input.request.query ?? {}) },
      headers: Object.entries(input.request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      body,
    },
    env: { ...variables, ENVIRONMENT: "preview", ENVIRONMENT_ID: environment.id, ENDPOINT_ID: endpoint.id },
    host: previewHostCalls(deps.hostOptions, scope, log, published),
  });
  const answer = answerFor(result, deps.limits);
  const errorBody = (error: AppError) => JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } });
  return {
    outcome: result.outcome,
    status: answer.kind === "response" ? answer.status : answer.error.status,
    headers: answer.kind === "response" ? Object.fromEntries(answer.headers) : { "content-type": "application/json; charset=utf-8" },
    body:
      answer.kind === "error" ? errorBody(answer.error) : typeof answer.body === "string" ? answer.body : answer.body.toString("base64"),
    body_encoding: answer.kind === "response" && typeof answer.body !== "string" ? "base64" : "utf8",
    logs: result.logs,
    logs_truncated: result.logsTruncated,
    error: result.error
      ? { name: result.error.name, message: result.error.message, line: result.error.line, column: result.error.column }
      : null,
    duration_ms: Math.round(performance.now() - started),
    published,
  };
}
