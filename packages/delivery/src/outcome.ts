import type { AttemptResult } from "./http-client.js";

/**
 * What one attempt means for its delivery:
 * - 2xx: delivered.
 * - 410 Gone: the receiver says the endpoint is gone for good; disable it and stop retrying.
 * - anything else (3xx, 4xx, 5xx, timeouts, connection, DNS, TLS errors): retry on schedule;
 *   429 and 503 may carry a Retry-After that pushes the next attempt later.
 */
export type Outcome =
  { readonly kind: "delivered" } | { readonly kind: "gone" } | { readonly kind: "retry"; readonly retryAfterMs?: number | undefined };

export function classify(result: AttemptResult): Outcome {
  const status = result.statusCode;
  if (status === undefined) return { kind: "retry" };
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 410) return { kind: "gone" };
  if (status === 429 || status === 503) return { kind: "retry", retryAfterMs: result.retryAfterMs };
  return { kind: "retry" };
}
