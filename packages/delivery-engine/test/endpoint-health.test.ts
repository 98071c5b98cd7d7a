import { healthChange, lastErrorOf } from "../src/endpoint-health.js";

describe("what an attempt means for its endpoint", () => {
  const since = new Date("2026-01-01T00:00:00Z");
  const now = since.getTime() + 10_000;
  const startedAt = new Date(now - 5);
  const delivered = { kind: "delivered" } as const;
  const retry = { kind: "retry" } as const;
  const gone = { kind: "gone" } as const;
  const pending = { status: "pending" as const, nextAttemptAt: new Date(now + 1_000) };
  const change = (
    outcome: Parameters<typeof healthChange>[0]["outcome"],
    next: Parameters<typeof healthChange>[0]["next"],
    failingSince: Date | null,
    disableAfterMs = 60_000,
  ) => healthChange({ outcome, next, failingSince, startedAt, disableAfterMs, now });

  it("changes nothing in the middle of a run, healthy or failing", () => {
    expect(change(delivered, { status: "succeeded" }, null)).toEqual({ kind: "none" });
    expect(change(retry, pending, since)).toEqual({ kind: "none" });
    expect(change(retry, { status: "failed" }, since)).toEqual({ kind: "none" });
  });

  it("starts a run of failures at the first failed attempt and ends it at the first success", () => {
    expect(change(retry, pending, null)).toEqual({ kind: "failing", since: startedAt });
    expect(change(retry, { status: "failed" }, null)).toEqual({ kind: "failing", since: startedAt });
    expect(change(delivered, { status: "succeeded" }, since)).toEqual({ kind: "recovered" });
  });

  it("disables on 410 Gone, and when the run has lasted the disable period", () => {
    expect(change(gone, { status: "failed" }, null)).toEqual({ kind: "disable", since: startedAt, reason: "receiver answered 410 Gone" });
    expect(change(retry, pending, since, 10_000)).toEqual({
      kind: "disable",
      since,
      reason: `every attempt has failed since ${since.toISOString()}`,
    });
    // A period of zero disables at the first failure, counted from that attempt.
    expect(change(retry, pending, null, 0)).toMatchObject({ kind: "disable", since: startedAt });
  });
});

describe("a delivery's last error", () => {
  it("is the attempt's error kind and message, at most 500 characters, or null", () => {
    expect(lastErrorOf({ errorKind: "timeout", errorMessage: "after 1000 ms" })).toBe("timeout: after 1000 ms");
    expect(lastErrorOf({ errorKind: "dns" })).toBe("dns: ");
    expect(lastErrorOf({ errorKind: "network", errorMessage: "x".repeat(900) })).toHaveLength(500);
    expect(lastErrorOf({})).toBeNull();
  });
});
