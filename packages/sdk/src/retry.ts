/**
 * When a call is tried again, and after how long. Pure functions: the transport applies them.
 *
 * 429 (the tenant's rate limit) and 503 (the API could not reach its database, or lost a deadlock)
 * are answered before anything is written, so any request may be sent again. A request that got
 * no answer (connection error, timeout) may have been carried out, so only one that is safe to
 * repeat is sent again: a read, a PUT or DELETE, or a POST with an Idempotency-Key.
 */

export const DEFAULT_MAX_RETRIES = 2;
/** The first backoff when the API names no delay; it doubles with each retry. */
export const BASE_DELAY_MS = 500;
export const MAX_BACKOFF_MS = 8_000;
/** A Retry-After longer than this is cut short: a call should not hang for minutes. */
export const MAX_RETRY_AFTER_MS = 30_000;

const RETRIED_STATUSES = new Set([429, 503]);
const REPEATABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

export function isRetriedStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

/** Whether a request that got no answer may be sent again without risking doing it twice. */
export function isRepeatable(request: Request): boolean {
  return REPEATABLE_METHODS.has(request.method.toUpperCase()) || request.headers.has("idempotency-key");
}

/**
 * `Retry-After` in milliseconds, capped; undefined when absent or unreadable. It is seconds as
 * the API sends it, or an HTTP date as the standard also allows.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else if (!/[a-z]/i.test(value))
    return undefined; // "-1" is no delay, though Date.parse reads it as a year
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * Exponential backoff with full jitter before retry number `retry` (0 for the first): a random
 * delay up to 500 ms, 1 s, 2 s … capped at 8 s, so clients that failed together do not all come
 * back at once.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(random() * ceiling);
}

/** The wait before retry number `retry`: what the API asked for, or the backoff. */
export function retryDelayMs(retry: number, response: Response | undefined): number {
  return retryAfterMs(response?.headers.get("retry-after") ?? null) ?? backoffMs(retry);
}

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
