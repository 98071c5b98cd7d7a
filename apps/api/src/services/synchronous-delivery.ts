import { attemptDelivery, type EngineDependencies } from "@hookline/engine";

export interface SynchronousOutcome {
  delivery_id: string;
  endpoint_id: string;
  /** succeeded, pending (will be retried on schedule), failed, or held (endpoint not active). */
  status: "succeeded" | "pending" | "failed" | "held" | "skipped";
  status_code: number | null;
  duration_ms: number | null;
  error_kind: string | null;
  response_body: string | null;
}

/**
 * Synchronous webhooks (Momentus, asynchronous flag off) block the publisher: the API makes
 * their first attempt itself, through the same engine as the workers, and answers with each
 * receiver's response. A failed attempt with retries left goes back to the queue on schedule.
 */
export async function deliverSynchronously(
  deps: EngineDependencies,
  deliveries: readonly { id: string; endpointId: string }[],
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
      const attempt = await attemptDelivery(deps, id);
      if (attempt.outcome === "held") return { ...base, status: "held" };
      // "deferred" needs a gate, which synchronous delivery does not use.
      if (attempt.outcome === "skipped" || attempt.outcome === "deferred") return { ...base, status: "skipped" };
      if (attempt.recorded && attempt.next.status === "pending") {
        await deps.queue.enqueueAt(id, attempt.next.nextAttemptAt).catch((error: unknown) => {
          deps.logger.warn({ err: (error as Error).message, delivery_id: id }, "could not schedule the retry; the sweeper will");
        });
      }
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
