/**
 * When to try again. The schedule lists the seconds to wait after attempt 1, 2, …; its length
 * plus one is the number of attempts. Each wait is spread by ±`jitter` so that an endpoint that
 * comes back is not hit by every delayed delivery in the same second.
 */
export interface RetryPolicy {
  readonly scheduleSeconds: readonly number[];
  /** Fraction, for example 0.2 for ±20%. */
  readonly jitter: number;
  /** Upper bound on how long a receiver's Retry-After can make us wait. */
  readonly retryAfterMaxSeconds: number;
}

export function maxAttempts(policy: RetryPolicy): number {
  return policy.scheduleSeconds.length + 1;
}

/**
 * Milliseconds to wait after failed attempt `attempt` (1-based), or undefined when the schedule
 * is exhausted. A Retry-After from the receiver (429/503) is honoured when it asks for longer,
 * up to retryAfterMaxSeconds.
 */
export function nextDelayMs(
  policy: RetryPolicy,
  attempt: number,
  options: { retryAfterMs?: number | undefined; random?: () => number } = {},
): number | undefined {
  const base = policy.scheduleSeconds[attempt - 1];
  if (base === undefined) return undefined;
  const random = options.random ?? Math.random;
  const spread = 1 + policy.jitter * (2 * random() - 1);
  let delay = Math.max(0, Math.round(base * 1000 * spread));
  if (options.retryAfterMs !== undefined) {
    delay = Math.max(delay, Math.min(options.retryAfterMs, policy.retryAfterMaxSeconds * 1000));
  }
  return delay;
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
