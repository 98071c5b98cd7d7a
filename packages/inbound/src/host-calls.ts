import { AppError, newId, type Logger, type TraceSpan } from "@hookline/core";
import { isDatabaseUnavailable, type TenantScope } from "@hookline/db";
import type { HttpClient } from "@hookline/delivery";
import { admitEvents, type Publisher } from "@hookline/publishing";
import { HostCallError, type FetchInput, type FetchOutput, type HostCalls, type PublishInput } from "@hookline/sandbox";

/** Where events published by workflows say they came from (see ignore_for_api). */
export const INBOUND_ORIGIN = "inbound";

export interface HostCallOptions {
  readonly publisher: Publisher;
  readonly http: HttpClient;
  /** Largest response body `utils.fetch` hands back. */
  readonly fetchResponseMaxBytes: number;
  readonly logger: Logger;
}

/** A refusal the tenant's code may see and handle: what the API would have answered, as an error. */
function refusal(error: unknown, logger: Logger, what: string): HostCallError {
  if (error instanceof AppError && error.status < 500) return new HostCallError(error.message, error.code, error.details);
  if (isDatabaseUnavailable(error)) return new HostCallError(`${what} is unavailable right now; try again`, "service_unavailable");
  logger.error({ err: error }, `${what} failed inside a workflow's call`);
  return new HostCallError(`${what} failed`, "internal_error");
}

const toNewEvent = (input: PublishInput) => ({
  eventType: input.event_type,
  data: input.data as Record<string, unknown>,
  objectId: input.object_id,
  idempotencyKey: input.idempotency_key,
  origin: INBOUND_ORIGIN,
  // For a customer only when the workflow names one (a workflow runs for the tenant, not for a customer).
  customerId: input.customer_id,
  customerExternalId: input.customer_external_id,
});

/** The input must look like what `POST /v1/events` takes; the sandbox passes whatever the tenant gave. */
function checkPublishInput(input: PublishInput): void {
  const problems = [];
  if (typeof input.event_type !== "string" || input.event_type.length === 0 || input.event_type.length > 128) {
    problems.push({ field: "event_type", message: "must be a string of 1 to 128 characters" });
  }
  if (typeof input.data !== "object" || input.data === null || Array.isArray(input.data)) {
    problems.push({ field: "data", message: "must be an object" });
  }
  for (const field of ["object_id", "idempotency_key", "customer_id", "customer_external_id"] as const) {
    const value = input[field];
    if (value !== undefined && (typeof value !== "string" || value.length === 0 || value.length > 255)) {
      problems.push({ field, message: "must be a string of 1 to 255 characters" });
    }
  }
  if (problems.length > 0) throw new HostCallError("The event is invalid.", "validation_error", problems);
}

async function fetchThrough(options: HostCallOptions, input: FetchInput, timeoutMs: number): Promise<FetchOutput> {
  const method = input.method.toUpperCase();
  if (!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].includes(method)) {
    throw new HostCallError(`fetch does not support the method ${input.method}`, "validation_error");
  }
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new HostCallError(
      `fetch needs an absolute http or https URL, not ${JSON.stringify(input.url).slice(0, 200)}`,
      "validation_error",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new HostCallError("fetch reaches http and https URLs only", "validation_error");
  const result = await options.http.send({
    method: method as "GET",
    url: url.toString(),
    headers: Object.fromEntries(input.headers),
    body: input.body,
    timeoutMs,
    // One byte more than allowed, to tell a body at the limit from a larger one.
    maxBodyBytes: options.fetchResponseMaxBytes + 1,
  });
  if (result.errorKind === "blocked_address")
    throw new HostCallError(`fetch may not reach ${url.hostname}: it is not a public address`, "blocked_address");
  if (result.statusCode === undefined) {
    throw new HostCallError(
      `fetch ${url.hostname} failed: ${result.errorKind ?? "network"}${result.errorMessage ? ` (${result.errorMessage})` : ""}`,
      result.errorKind ?? "network",
    );
  }
  const body = result.body ?? "";
  if (Buffer.byteLength(body) > options.fetchResponseMaxBytes) {
    throw new HostCallError(
      `fetch ${url.hostname}: the response is larger than ${options.fetchResponseMaxBytes} bytes`,
      "response_too_large",
    );
  }
  return { status: result.statusCode, headers: Object.entries(result.headers ?? {}), body };
}

/**
 * What a workflow's `utils.publish` and `utils.fetch` do for a real call: publish for the tenant,
 * fetch through the SSRF guard. `trace` is the call's span, when tracing is on: its publishes go under it.
 */
export function liveHostCalls(options: HostCallOptions, scope: TenantScope, log: () => Logger, trace?: TraceSpan): HostCalls {
  return {
    async publish(input) {
      checkPublishInput(input);
      try {
        const { result } = await options.publisher.publish(scope, toNewEvent(input), { attemptsSynchronousItself: false, parent: trace });
        return {
          id: result.event.id,
          event_type: result.event.eventType,
          deliveries: result.outcome === "published" ? result.deliveries.length : result.deliveryCount,
        };
      } catch (error) {
        throw refusal(error, log(), "publishing");
      }
    },
    fetch: (input, timeoutMs) => fetchThrough(options, input, timeoutMs),
  };
}

/** An event a preview's workflow would have published. */
export interface PreviewedEvent {
  readonly event_type: string;
  readonly data: unknown;
  readonly object_id: string | null;
}

/**
 * A preview's host calls: `publish` checks the event exactly as a real publish would (registry,
 * schema) but writes nothing, and answers with an id that names no event; `fetch` is real.
 */
export function previewHostCalls(options: HostCallOptions, scope: TenantScope, log: Logger, published: PreviewedEvent[]): HostCalls {
  return {
    async publish(input) {
      checkPublishInput(input);
      try {
        await admitEvents(
          scope,
          [
            {
              eventType: input.event_type,
              data: input.data,
              customerId: input.customer_id,
              customerExternalId: input.customer_external_id,
            },
          ],
          { batch: false },
        );
      } catch (error) {
        throw refusal(error, log, "publishing");
      }
      published.push({ event_type: input.event_type, data: input.data, object_id: input.object_id ?? null });
      return { id: newId("event"), event_type: input.event_type, deliveries: 0 };
    },
    fetch: (input, timeoutMs) => fetchThrough(options, input, timeoutMs),
  };
}
