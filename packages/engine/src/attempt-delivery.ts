import type { Config } from "@hookline/config";
import { isBuiltinEventType, type Logger } from "@hookline/core";
import { holdDelivery, type AttemptConsequence, type Database, type DeliveryWork, type WorkStore } from "@hookline/db";
import {
  classify,
  deliveryBody,
  maxAttempts,
  nextDelayMs,
  signedHeaders,
  USER_AGENT,
  type AttemptResult,
  type HttpClient,
  type TokenCache,
} from "@hookline/delivery";
import type { DeliveryQueue } from "@hookline/queue";
import type { EndpointGate } from "./endpoint-gate.js";
import { attemptSeconds, attemptsTotal, deferralsTotal } from "./metrics.js";
import { publishOperationalEvent } from "./operational-events.js";

export interface EngineDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  readonly queue: DeliveryQueue;
  /** Reads and records deliveries, grouping concurrent ones (see createWorkStore). */
  readonly work: WorkStore;
}

export type AttemptOutcome =
  | { readonly outcome: "skipped"; readonly reason: "missing" | "not_due" }
  | { readonly outcome: "held" }
  /** The endpoint is at its in-flight cap: nothing was sent or recorded; try again after `delayMs`. */
  | { readonly outcome: "deferred"; readonly delayMs: number }
  | { readonly outcome: "attempted"; readonly recorded: boolean; readonly result: AttemptResult; readonly next: AttemptConsequence };

/**
 * One attempt of one delivery, wherever it runs (a worker taking a job, or the API delivering a
 * synchronous webhook): re-read the row (Postgres is the truth), skip what is finished, hold what
 * is paused, make one signed attempt, and record it with its consequence in one transaction.
 */
export async function attemptDelivery(deps: EngineDependencies, deliveryId: string, gate?: EndpointGate): Promise<AttemptOutcome> {
  const log = deps.logger.child({ delivery_id: deliveryId });
  const work = await deps.work.load(deliveryId);
  if (!work) return { outcome: "skipped", reason: "missing" };
  if (work.status !== "pending") return { outcome: "skipped", reason: "not_due" };
  if (work.endpoint.status !== "ACTIVE") {
    await holdDelivery(deps.db.pool, work.id);
    log.info({ endpoint_id: work.endpoint.id, endpoint_status: work.endpoint.status }, "endpoint not active; delivery held");
    return { outcome: "held" };
  }

  if (gate && !gate.tryEnter(work.endpoint.id, work.id)) {
    deferralsTotal.inc();
    return { outcome: "deferred", delayMs: gate.deferral(work.endpoint.id, work.id) };
  }
  const attemptNumber = work.attemptCount + 1;
  let next: AttemptConsequence | undefined;
  let result: AttemptResult;
  try {
    result = await send(work, deps);
    next = decide(attemptNumber, result, deps.config);
  } finally {
    if (gate) release(deps, log, work.endpoint.id, gate.leave(work.endpoint.id, work.id, next?.status === "succeeded"));
  }
  const recorded = await deps.work.record(
    {
      deliveryId: work.id,
      attemptNumber,
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      errorKind: result.errorKind,
      errorMessage: result.errorMessage,
      responseHeaders: result.headers,
      responseBody: result.body,
    },
    next,
    {
      endpointId: work.endpoint.id,
      failingSince: work.endpoint.failingSince,
      disableAfterMs: deps.config.delivery.disableFailingEndpointAfterMs,
    },
  );
  attemptsTotal.inc({
    outcome: next.status === "succeeded" ? "delivered" : (result.errorKind ?? `http_${Math.floor((result.statusCode ?? 0) / 100)}xx`),
  });
  attemptSeconds.observe(result.durationMs / 1000);
  const fields = {
    endpoint_id: work.endpoint.id,
    attempt: attemptNumber,
    status_code: result.statusCode,
    error_kind: result.errorKind,
    duration_ms: result.durationMs,
  };
  if (!recorded.recorded) {
    log.warn(fields, "another worker recorded this attempt first");
    return { outcome: "attempted", recorded: false, result, next };
  }
  log.info({ ...fields, outcome: next.status }, "delivery attempted");
  if (recorded.disabledEndpoint) {
    const { reason, failingSince, disabledAt } = recorded.disabledEndpoint;
    log.warn({ endpoint_id: work.endpoint.id, reason }, "endpoint disabled");
    await publishOperationalEvent(deps, work.tenantId, "endpoint.disabled", {
      endpoint_id: work.endpoint.id,
      name: work.endpoint.name,
      url: work.endpoint.url,
      reason,
      failing_since: failingSince?.toISOString() ?? null,
      disabled_at: disabledAt.toISOString(),
    });
  }
  // Never for the engine's own events: a broken operations endpoint must not feed itself.
  if (next.status === "failed" && !isBuiltinEventType(work.event.eventType)) {
    await publishOperationalEvent(deps, work.tenantId, "delivery.exhausted", {
      delivery_id: work.id,
      event_id: work.event.id,
      event_type: work.event.eventType,
      endpoint_id: work.endpoint.id,
      attempts: attemptNumber,
      last_status_code: result.statusCode ?? null,
      last_error: result.errorKind ? `${result.errorKind}: ${result.errorMessage ?? ""}`.slice(0, 500) : null,
    });
  }
  return { outcome: "attempted", recorded: true, result, next };
}

/**
 * The endpoint delivered again after a run of failures: the deliveries the gate turned away
 * meanwhile go now rather than when their deferrals end. Not awaited; a failure only delays them.
 */
function release(deps: EngineDependencies, log: Logger, endpointId: string, deliveryIds: readonly string[]): void {
  if (deliveryIds.length === 0) return;
  log.info({ endpoint_id: endpointId, released: deliveryIds.length }, "endpoint recovered; waiting deliveries released");
  void deps.queue
    .promote(deliveryIds)
    .catch((error: unknown) =>
      log.warn({ err: (error as Error).message }, "releasing waiting deliveries failed; they run when their deferrals end"),
    );
}

/** Signs and sends; for OAuth endpoints with a cached token, and on a 401 one fresh token and one more try. */
async function send(work: DeliveryWork, { http, tokens }: EngineDependencies): Promise<AttemptResult> {
  const body = deliveryBody(work.endpoint.flavour, work.event, work.endpoint.name);
  const timeoutMs = work.endpoint.timeoutSeconds * 1000;
  const post = (authorization?: string) =>
    http.send({
      url: work.endpoint.url,
      body,
      timeoutMs,
      headers: {
        ...work.endpoint.headers,
        ...(authorization && { authorization }),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        ...signedHeaders(work.endpoint.secrets, work.id, Math.floor(Date.now() / 1000), body),
      },
    });
  const oauth = work.endpoint.oauth;
  if (!oauth) return post();

  const startedAt = new Date();
  const first = await tokens.token(oauth, timeoutMs);
  if ("error" in first) return { startedAt, durationMs: Date.now() - startedAt.getTime(), errorKind: "oauth", errorMessage: first.error };
  const result = await post(`Bearer ${first.token}`);
  if (result.statusCode !== 401) return result;
  const fresh = await tokens.token(oauth, timeoutMs, { force: true });
  if ("error" in fresh) return { ...result, errorMessage: `401, then ${fresh.error}` };
  return post(`Bearer ${fresh.token}`);
}

function decide(attemptNumber: number, result: AttemptResult, config: Config): AttemptConsequence {
  const outcome = classify(result);
  if (outcome.kind === "delivered") return { status: "succeeded" };
  if (outcome.kind === "gone") return { status: "failed", disableEndpoint: { reason: "receiver answered 410 Gone" } };
  const policy = {
    scheduleSeconds: config.delivery.retryScheduleSeconds,
    jitter: config.delivery.retryJitter,
    retryAfterMaxSeconds: config.delivery.retryAfterMaxSeconds,
  };
  const delay =
    attemptNumber < maxAttempts(policy) ? nextDelayMs(policy, attemptNumber, { retryAfterMs: outcome.retryAfterMs }) : undefined;
  if (delay === undefined) return { status: "failed" };
  return { status: "pending", nextAttemptAt: new Date(Date.now() + delay) };
}
