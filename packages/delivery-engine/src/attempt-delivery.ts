import {
  errorType,
  isBuiltinEventType,
  type Logger,
  type SpanAttributes,
  type Traceparent,
  type TraceSpan,
  type Tracing,
} from "@hookline/core";
import {
  classify,
  maxAttempts,
  nextDelayMs,
  type AttemptResult,
  type HttpClient,
  type Outcome,
  type RetryPolicy,
  type TokenCache,
} from "@hookline/delivery";
import type { EndpointGate } from "./endpoint-gate.js";
import { healthChange, lastErrorOf } from "./endpoint-health.js";
import { attemptSeconds, attemptsTotal, deferralsTotal } from "./metrics.js";
import type { AttemptConsequence, DeliveryWork, OperationalEvents, WaitingDeliveries, WorkStore } from "./ports.js";
import { send } from "./send.js";

/** The rules an attempt is judged by (from the configuration). */
export interface DeliveryPolicy {
  readonly retry: RetryPolicy;
  /** An endpoint whose attempts have all failed for this long is disabled. */
  readonly disableFailingEndpointAfterMs: number;
}

export interface DeliveryEngineOptions {
  readonly logger: Logger;
  readonly policy: DeliveryPolicy;
  readonly work: WorkStore;
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  readonly operationalEvents: OperationalEvents;
  readonly waiting: WaitingDeliveries;
  /**
   * Per-endpoint fairness among the deliveries of one process. Workers have one; the API's
   * synchronous webhooks run without (their publisher waits for that very attempt, so it cannot
   * be put off: see docs/DECISIONS.md, "Synchronous webhooks bypass the gate").
   */
  readonly gate?: EndpointGate | undefined;
  /** Tracing, when on: an `attempt` span for each HTTP attempt. */
  readonly tracing?: Tracing | undefined;
}

export interface AttemptOptions {
  /** The span an attempt's span goes under, when tracing is on: a job's, or a publish's traceparent. */
  readonly parent?: TraceSpan | Traceparent | undefined;
}

export type AttemptOutcome =
  | { readonly outcome: "skipped"; readonly reason: "missing" | "not_due" }
  | { readonly outcome: "held" }
  /** The endpoint is at its in-flight cap: nothing was sent or recorded; try again after `delayMs`. */
  | { readonly outcome: "deferred"; readonly delayMs: number }
  | { readonly outcome: "attempted"; readonly recorded: boolean; readonly result: AttemptResult; readonly next: AttemptConsequence };

export interface DeliveryEngine {
  /**
   * One attempt of one delivery, wherever it runs (a worker taking a job, or the API delivering
   * a synchronous webhook): re-read the row (Postgres is the truth), skip what is finished, hold
   * what is paused, wait for the endpoint's turn, make one signed attempt, and record it with its
   * consequence for the delivery and for the endpoint.
   */
  attempt(deliveryId: string, options?: AttemptOptions): Promise<AttemptOutcome>;
}

/** What an attempt's span says of it: ids and numbers, never the URL (it may hold a token), headers or bodies. */
function attemptAttributes(work: DeliveryWork, attemptNumber: number): SpanAttributes {
  let host: string | undefined;
  try {
    const url = new URL(work.endpoint.url);
    if (url.protocol === "http:" || url.protocol === "https:") host = url.hostname;
  } catch {
    host = undefined;
  }
  return {
    "hookline.tenant.id": work.tenantId,
    "hookline.webhook.id": work.id,
    "hookline.event.id": work.event.id,
    "hookline.endpoint.id": work.endpoint.id,
    "hookline.attempt.number": attemptNumber,
    "http.request.method": "POST",
    "server.address": host,
  };
}

function resultAttributes(result: AttemptResult, next: AttemptConsequence): SpanAttributes {
  return {
    "http.response.status_code": result.statusCode,
    "hookline.attempt.outcome": next.status,
    "hookline.attempt.duration_ms": result.durationMs,
  };
}

export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const { logger, policy, work: store, gate, tracing } = options;

  function decide(attemptNumber: number, outcome: Outcome): AttemptConsequence {
    if (outcome.kind === "delivered") return { status: "succeeded" };
    if (outcome.kind === "gone") return { status: "failed" };
    const delay =
      attemptNumber < maxAttempts(policy.retry)
        ? nextDelayMs(policy.retry, attemptNumber, { retryAfterMs: outcome.retryAfterMs })
        : undefined;
    if (delay === undefined) return { status: "failed" };
    return { status: "pending", nextAttemptAt: new Date(Date.now() + delay) };
  }

  /**
   * The endpoint delivered again after a run of failures: the deliveries the gate turned away
   * meanwhile go now rather than when their deferrals end. Not awaited; a failure only delays them.
   */
  function release(log: Logger, endpointId: string, deliveryIds: readonly string[]): void {
    if (deliveryIds.length === 0) return;
    log.info({ endpoint_id: endpointId, released: deliveryIds.length }, "endpoint recovered; waiting deliveries released");
    void options.waiting.expedite(deliveryIds);
  }

  async function announce(
    work: DeliveryWork,
    attemptNumber: number,
    result: AttemptResult,
    next: AttemptConsequence,
    disabled: DisabledEndpoint | undefined,
  ) {
    if (disabled) {
      await options.operationalEvents.publish(work.tenantId, "endpoint.disabled", {
        endpoint_id: work.endpoint.id,
        name: work.endpoint.name,
        url: work.endpoint.url,
        reason: disabled.reason,
        failing_since: disabled.failingSince?.toISOString() ?? null,
        disabled_at: disabled.disabledAt.toISOString(),
      });
    }
    // Never for the engine's own events: a broken operations endpoint must not feed itself.
    if (next.status === "failed" && !isBuiltinEventType(work.event.eventType)) {
      await options.operationalEvents.publish(work.tenantId, "delivery.exhausted", {
        delivery_id: work.id,
        event_id: work.event.id,
        event_type: work.event.eventType,
        endpoint_id: work.endpoint.id,
        attempts: attemptNumber,
        last_status_code: result.statusCode ?? null,
        last_error: lastErrorOf(result),
      });
    }
  }

  return {
    async attempt(deliveryId, attemptOptions) {
      const log = logger.child({ delivery_id: deliveryId });
      const work = await store.load(deliveryId);
      if (!work) return { outcome: "skipped", reason: "missing" };
      if (work.status !== "pending") return { outcome: "skipped", reason: "not_due" };
      if (work.endpoint.status !== "ACTIVE") {
        await store.hold(work.id);
        log.info({ endpoint_id: work.endpoint.id, endpoint_status: work.endpoint.status }, "endpoint not active; delivery held");
        return { outcome: "held" };
      }

      const endpointId = work.endpoint.id;
      if (gate && !gate.tryEnter(endpointId, work.id)) {
        deferralsTotal.inc();
        return { outcome: "deferred", delayMs: gate.deferral(endpointId, work.id) };
      }
      const attemptNumber = work.attemptCount + 1;
      const span = tracing?.start("attempt", {
        kind: "client",
        parent: attemptOptions?.parent,
        attributes: attemptAttributes(work, attemptNumber),
      });
      let next: AttemptConsequence | undefined;
      let outcome: Outcome | undefined;
      let result: AttemptResult;
      try {
        result = await send(work, options, span && work.endpoint.sendTraceparent ? span.traceparent() : undefined);
        outcome = classify(result);
        next = decide(attemptNumber, outcome);
      } catch (error) {
        span?.fail(errorType(error));
        span?.end();
        throw error;
      } finally {
        if (gate) release(log, endpointId, gate.leave(endpointId, work.id, next?.status === "succeeded"));
      }
      if (span) {
        span.set(resultAttributes(result, next));
        // As HTTP clients' spans say it: the error's kind, or the status code of a failed answer.
        if (next.status !== "succeeded") span.fail(result.errorKind ?? String(result.statusCode ?? "unknown"));
        span.end();
      }
      const health = healthChange({
        outcome,
        next,
        failingSince: work.endpoint.failingSince,
        startedAt: result.startedAt,
        disableAfterMs: policy.disableFailingEndpointAfterMs,
      });
      const recorded = await store.record(
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
          lastError: lastErrorOf(result),
        },
        next,
        health,
        endpointId,
      );
      attemptsTotal.inc({
        outcome: next.status === "succeeded" ? "delivered" : (result.errorKind ?? `http_${Math.floor((result.statusCode ?? 0) / 100)}xx`),
      });
      attemptSeconds.observe(result.durationMs / 1000);
      const fields = {
        endpoint_id: endpointId,
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
      if (recorded.disabledEndpoint) log.warn({ endpoint_id: endpointId, reason: recorded.disabledEndpoint.reason }, "endpoint disabled");
      await announce(work, attemptNumber, result, next, recorded.disabledEndpoint);
      return { outcome: "attempted", recorded: true, result, next };
    },
  };
}

type DisabledEndpoint = { readonly reason: string; readonly failingSince: Date | null; readonly disabledAt: Date };
