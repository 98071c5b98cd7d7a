import { classify, maxAttempts, nextDelayMs, parseRetryAfter, type AttemptResult } from "../src/index.js";

const policy = { scheduleSeconds: [5, 300, 1800], jitter: 0.2, retryAfterMaxSeconds: 3600 };

describe("the retry schedule", () => {
  it("allows one attempt more than it has waits", () => {
    expect(maxAttempts(policy)).toBe(4);
    expect(nextDelayMs(policy, 4)).toBeUndefined();
  });

  it("spreads each wait within ±jitter of the schedule", () => {
    for (let i = 0; i < 200; i++) {
      const delay = nextDelayMs(policy, 2) ?? 0;
      expect(delay).toBeGreaterThanOrEqual(240_000);
      expect(delay).toBeLessThanOrEqual(360_000);
    }
    expect(nextDelayMs(policy, 1, { random: () => 0 })).toBe(4000);
    expect(nextDelayMs(policy, 1, { random: () => 1 })).toBe(6000);
  });

  it("waits for a longer Retry-After, but never longer than the bound", () => {
    expect(nextDelayMs(policy, 1, { retryAfterMs: 60_000, random: () => 0.5 })).toBe(60_000);
    expect(nextDelayMs(policy, 1, { retryAfterMs: 1_000, random: () => 0.5 })).toBe(5_000);
    expect(nextDelayMs(policy, 1, { retryAfterMs: 10 * 3600_000, random: () => 0.5 })).toBe(3600_000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("outcome rules", () => {
  const result = (statusCode?: number, retryAfterMs?: number): AttemptResult => ({
    startedAt: new Date(),
    durationMs: 1,
    statusCode,
    retryAfterMs,
  });
  it.each([
    [200, "delivered"],
    [204, "delivered"],
    [299, "delivered"],
    [301, "retry"],
    [302, "retry"],
    [400, "retry"],
    [404, "retry"],
    [410, "gone"],
    [500, "retry"],
    [undefined, "retry"],
  ])("%s means %s", (status, kind) => {
    expect(classify(result(status)).kind).toBe(kind);
  });

  it("passes Retry-After on only for 429 and 503", () => {
    expect(classify(result(429, 5000))).toEqual({ kind: "retry", retryAfterMs: 5000 });
    expect(classify(result(503, 5000))).toEqual({ kind: "retry", retryAfterMs: 5000 });
    expect(classify(result(500, 5000))).toEqual({ kind: "retry" });
  });
});
