import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { holdDelivery, loadDeliveryWork, recordAttempt, type AttemptConsequence, type DeliveryWork } from "@hookline/db";
import { classify, deliveryBody, maxAttempts, nextDelayMs, signedHeaders, USER_AGENT, type AttemptResult } from "@hookline/delivery";
import { parseDeliverJob } from "@hookline/queue";
import { publishOperationalEvent } from "./operational-events.js";
import type { WorkerDependencies } from "./worker.js";

/**
 * One delivery job: re-read the row (Postgres is the truth), skip what is finished or held,
 * make one signed attempt, record it, and either finish the job or move it back to BullMQ's
 * delayed set for the next attempt, so no worker slot waits out a retry delay.
 */
export async function processDelivery(job: Job, deps: WorkerDependencies, token?: string): Promise<void> {
  const payload = parseDeliverJob(job.data);
  if (!payload) throw new UnrecoverableError("malformed delivery job");
  const { db, logger } = deps;
  const log = logger.child({ delivery_id: payload.deliveryId, job_id: job.id });

  const work = await loadDeliveryWork(db.pool, payload.deliveryId);
  if (!work) return log.info("delivery no longer exists; job dropped");
  if (work.status !== "pending") return log.debug({ status: work.status }, "delivery not due; job dropped");
  if (work.endpoint.status !== "ACTIVE") {
    await holdDelivery(db.pool, work.id);
    return log.info({ endpoint_id: work.endpoint.id, endpoint_status: work.endpoint.status }, "endpoint not active; delivery held");
  }

  const attemptNumber = work.attemptCount + 1;
  const result = await attempt(work, deps);
  const consequence = decide(attemptNumber, result, deps);
  const recorded = await recordAttempt(
    db.pool,
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
    consequence.next,
    { endpointId: work.endpoint.id, disableAfterMs: deps.config.delivery.disableFailingEndpointAfterMs },
  );
  const fields = { endpoint_id: work.endpoint.id, attempt: attemptNumber, status_code: result.statusCode, error_kind: result.errorKind, duration_ms: result.durationMs };
  if (!recorded.recorded) return log.warn(fields, "another worker recorded this attempt first; job dropped");
  log.info({ ...fields, outcome: consequence.next.status }, "delivery attempted");
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

  if (consequence.next.status === "pending") {
    await job.moveToDelayed(consequence.next.nextAttemptAt.getTime(), token);
    throw new DelayedError();
  }
}

async function attempt(work: DeliveryWork, { http, tokens }: WorkerDependencies): Promise<AttemptResult> {
  const body = deliveryBody(work.endpoint.flavour, work.event, work.endpoint.name);
  const timeoutMs = work.endpoint.timeoutSeconds * 1000;
  const send = (authorization?: string) =>
    http.send({
      url: work.endpoint.url,
      body,
      timeoutMs,
      headers: {
        ...work.endpoint.headers,
        ...(authorization && { authorization }),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        ...signedHeaders([work.endpoint.secret], work.id, Math.floor(Date.now() / 1000), body),
      },
    });
  const oauth = work.endpoint.oauth;
  if (!oauth) return send();

  // OAuth endpoints: a cached token, and on a 401 one fresh token and one more try.
  const startedAt = new Date();
  const first = await tokens.token(oauth, timeoutMs);
  if ("error" in first) return { startedAt, durationMs: Date.now() - startedAt.getTime(), errorKind: "oauth", errorMessage: first.error };
  const result = await send(`Bearer ${first.token}`);
  if (result.statusCode !== 401) return result;
  const fresh = await tokens.token(oauth, timeoutMs, { force: true });
  if ("error" in fresh) return { ...result, errorMessage: `401, then ${fresh.error}` };
  return send(`Bearer ${fresh.token}`);
}

function decide(attemptNumber: number, result: AttemptResult, { config }: WorkerDependencies): { next: AttemptConsequence } {
  const outcome = classify(result);
  if (outcome.kind === "delivered") return { next: { status: "succeeded" } };
  if (outcome.kind === "gone") {
    return { next: { status: "failed", disableEndpoint: { reason: "receiver answered 410 Gone" } } };
  }
  const policy = {
    scheduleSeconds: config.delivery.retryScheduleSeconds,
    jitter: config.delivery.retryJitter,
    retryAfterMaxSeconds: config.delivery.retryAfterMaxSeconds,
  };
  const delay = attemptNumber < maxAttempts(policy) ? nextDelayMs(policy, attemptNumber, { retryAfterMs: outcome.retryAfterMs }) : undefined;
  if (delay === undefined) return { next: { status: "failed" } };
  return { next: { status: "pending", nextAttemptAt: new Date(Date.now() + delay) } };
}
