import type { SynchronousOutcome } from "@hookline/api-contract";
import type { Logger } from "@hookline/core";
import type { DeliveryEngine } from "@hookline/delivery-engine";
import type { Scheduler } from "@hookline/queue";

/**
 * Synchronous webhooks (Momentus, asynchronous flag off) block the publisher: the API makes
 * their first attempt itself, through the same engine as the workers, and answers with each
 * receiver's response. A failed attempt with retries left goes back to the queue on schedule.
 */
export async function deliverSynchronously(
  deps: { engine: DeliveryEngine; scheduler: Scheduler; logger: Logger },
  deliveries: readonly { id: string; endpointId: string }[],
  /** The publish's span, when it was traced: each attempt's span goes under it. */
  traceparent?: string,
): Promise<SynchronousOutcome[]> {
  return Promise.all(
    deliveries.map(async ({ id, endpointId }): Promise<SynchronousOutcome> => {
      const base = {
        delivery_id: id,
        endpoint_id: endpointId,
        status_code: null,
        duration_ms: null,
        error_kind: null,
        response_body: null,
      };
      const attempt = await deps.engine.attempt(id, traceparent === undefined ? undefined : { parent: traceparent });
      if (attempt.outcome === "held") return { ...base, status: "held" };
      // "deferred" needs a gate, which the API's engine does not have.
      if (attempt.outcome === "skipped" || attempt.outcome === "deferred") return { ...base, status: "skipped" };
      if (attempt.recorded && attempt.next.status === "pending") await deps.scheduler.retryAt(id, attempt.next.nextAttemptAt, deps.logger);
      const { result } = attempt;
      return {
        ...base,
        status: attempt.next.status,
        status_code: result.statusCode ?? null,
        duration_ms: result.durationMs,
        error_kind: result.errorKind ?? null,
        response_body: result.body ?? null,
      };
    }),
  );
}
