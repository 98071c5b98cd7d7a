import { EndpointGate } from "../src/endpoint-gate.js";

/** The thresholds most tests run with (the configuration's defaults are tested in packages/config). */
const FAILING_AFTER = 3;
const PROBE_SPACING_MS = 500;

/** A gate on a clock the test moves; `attempt` runs one attempt of `ms` to completion. */
function gate(failing: { failingAfter?: number; probeSpacingMs?: number } = {}) {
  let now = 0;
  const g = new EndpointGate({
    maxInFlight: 3,
    slowMaxInFlight: 1,
    slowAfterMs: 1_000,
    failingAfter: FAILING_AFTER,
    probeSpacingMs: PROBE_SPACING_MS,
    ...failing,
    now: () => now,
  });
  const advance = (ms: number) => {
    now += ms;
  };
  const attempt = (endpoint: string, delivery: string, ms: number) => {
    expect(g.tryEnter(endpoint, delivery)).toBe(true);
    advance(ms);
    g.leave(endpoint, delivery);
  };
  return { g, advance, attempt };
}

describe("EndpointGate", () => {
  it("lets each endpoint have at most maxInFlight attempts, independently of the others", () => {
    const { g, attempt } = gate();
    for (let i = 0; i < 3; i++) attempt("ep_a", `msg_warm_${i}`, 10);
    expect([1, 2, 3, 4].map((i) => g.tryEnter("ep_a", `msg_${i}`))).toEqual([true, true, true, false]);
    expect(g.tryEnter("ep_b", "msg_5")).toBe(true);
    g.leave("ep_a", "msg_1");
    expect(g.tryEnter("ep_a", "msg_4")).toBe(true);
    // Leaving twice, or for a delivery that never entered, frees nothing more.
    g.leave("ep_a", "msg_1");
    g.leave("ep_a", "msg_9");
    expect(g.tryEnter("ep_a", "msg_6")).toBe(false);
  });

  it("starts an endpoint at slowMaxInFlight and gives it one more slot per finished attempt (slow start)", () => {
    const { g, advance } = gate();
    expect(g.limit("ep_new")).toBe(1);
    expect(g.tryEnter("ep_new", "msg_1")).toBe(true);
    // However many endpoints hang from their first request, each holds one slot.
    expect(g.tryEnter("ep_new", "msg_2")).toBe(false);
    advance(10);
    g.leave("ep_new", "msg_1");
    expect(g.limit("ep_new")).toBe(2);
    for (const id of ["msg_2", "msg_3"]) expect(g.tryEnter("ep_new", id)).toBe(true);
    g.leave("ep_new", "msg_2");
    g.leave("ep_new", "msg_3");
    expect(g.limit("ep_new")).toBe(3);
  });

  it("narrows a slow endpoint to slowMaxInFlight, and widens it again once it is fast", () => {
    const { g, attempt } = gate();
    // The others answer in 10 ms.
    for (let i = 0; i < 200; i++) attempt("ep_fast", `msg_f${i}`, 10);
    for (let i = 0; i < 3; i++) attempt("ep_slow", `msg_${i}`, 5_000);
    expect(g.limit("ep_slow")).toBe(1);
    expect(g.tryEnter("ep_slow", "msg_x")).toBe(true);
    expect(g.tryEnter("ep_slow", "msg_y")).toBe(false);
    g.leave("ep_slow", "msg_x");
    for (let i = 0; i < 30; i++) attempt("ep_slow", `msg_fast_${i}`, 5);
    expect(g.limit("ep_slow")).toBe(3);
  });

  it("narrows an endpoint whose first attempts hang before any of them has finished", () => {
    const { g, advance, attempt } = gate();
    for (let i = 0; i < 200; i++) attempt("ep_fast", `msg_f${i}`, 10);
    for (let i = 0; i < 3; i++) attempt("ep_hang", `msg_warm_${i}`, 10);
    // It was fast; now its receiver hangs.
    expect(g.tryEnter("ep_hang", "msg_1")).toBe(true);
    expect(g.tryEnter("ep_hang", "msg_2")).toBe(true);
    advance(999);
    expect(g.limit("ep_hang")).toBe(3);
    advance(2);
    // Its attempts have run for a second, a hundred times the others': no third slot.
    expect(g.limit("ep_hang")).toBe(1);
    expect(g.tryEnter("ep_hang", "msg_3")).toBe(false);
    // Waiting deliveries are put off for about as long as the hanging attempts have run.
    expect(g.deferral("ep_hang", "msg_3")).toBeGreaterThanOrEqual(800);
    // The fast endpoint is untouched.
    expect(g.limit("ep_fast")).toBe(3);
    // Once the hanging attempts end (their timeout), the endpoint is judged by their durations.
    advance(4_000);
    g.leave("ep_hang", "msg_1");
    g.leave("ep_hang", "msg_2");
    expect(g.limit("ep_hang")).toBe(1);
  });

  it("defers a turned-away delivery about as long as the endpoint's attempts take, longer each time", () => {
    const { g, attempt } = gate();
    attempt("ep_a", "msg_0", 2_000);
    const first = g.deferral("ep_a", "msg_1");
    const second = g.deferral("ep_a", "msg_1");
    const third = g.deferral("ep_a", "msg_1");
    expect(first).toBeGreaterThanOrEqual(1_600);
    expect(first).toBeLessThanOrEqual(2_400);
    expect(second).toBeGreaterThan(first * 1.3);
    expect(third).toBeGreaterThan(second);
    // … but not without end: at most a few attempt durations.
    for (let i = 0; i < 10; i++) g.deferral("ep_a", "msg_1");
    expect(g.deferral("ep_a", "msg_1")).toBeLessThanOrEqual(2_000 * 4 * 1.2);
    // Once it gets in, its count starts over.
    g.tryEnter("ep_a", "msg_1");
    g.leave("ep_a", "msg_1");
    expect(g.deferral("ep_a", "msg_1")).toBeLessThanOrEqual(2_400);
    expect(g.deferral("ep_b", "msg_9")).toBeGreaterThanOrEqual(40);
  });

  it("puts waiting deliveries off for as long as the backlog ahead takes, so they return about as fast as the endpoint takes them", () => {
    const { g, advance, attempt } = gate();
    for (let i = 0; i < 3; i++) attempt("ep_hot", `msg_warm_${i}`, 60);
    for (let i = 0; i < 3; i++) g.tryEnter("ep_hot", `msg_run_${i}`);
    // 600 deliveries turned away: 600 × 60 ms / 3 slots = 12 s of backlog, half of it as the wait.
    const delays = Array.from({ length: 600 }, (_, i) => g.deferral("ep_hot", `msg_wait_${i}`));
    expect(delays[0]).toBeLessThan(100);
    expect(delays[599]).toBeGreaterThanOrEqual(6_000 * 0.8);
    expect(delays[599]).toBeLessThanOrEqual(6_000 * 1.2);
    // Their return rate: a small multiple of the endpoint's own (3 slots / 60 ms = 50/s), not 600 per 60 ms.
    const perSecond = delays.reduce((sum, d) => sum + 1000 / d, 0);
    expect(perSecond).toBeLessThan(50 * 12);
    // The first in line, back when its deferral ends, waits only for what is still ahead of it.
    expect(g.deferral("ep_hot", "msg_wait_0")).toBeLessThan(200);
    for (let i = 0; i < 300; i++) {
      g.leave("ep_hot", `msg_run_${i % 3}`);
      g.tryEnter("ep_hot", `msg_wait_${i}`);
      g.tryEnter("ep_hot", `msg_run_${i % 3}`);
      g.leave("ep_hot", `msg_wait_${i}`);
    }
    expect(g.deferral("ep_hot", "msg_wait_300")).toBeLessThan(200);
    // 299 ahead × at least 50 ms (its attempts now take no time) / 3 slots, halved, less jitter.
    expect(g.deferral("ep_hot", "msg_wait_599")).toBeGreaterThanOrEqual(2_000);
    // Deliveries that went to another worker and never came back are forgotten.
    for (let i = 0; i < 3; i++) g.leave("ep_hot", `msg_run_${i}`);
    advance(60_000);
    expect(g.deferral("ep_hot", "msg_late")).toBeLessThan(100);
  });

  it("does not call every endpoint slow when every attempt is slow (an overloaded machine)", () => {
    const { g, advance } = gate();
    for (let i = 0; i < 300; i++) {
      const endpoint = `ep_${i % 3}`;
      g.tryEnter(endpoint, `msg_${i}`);
      advance(1_500);
      g.leave(endpoint, `msg_${i}`);
    }
    expect(["ep_0", "ep_1", "ep_2"].map((e) => g.limit(e))).toEqual([3, 3, 3]);
    // Nor while attempts of that usual length are running.
    g.tryEnter("ep_0", "msg_x");
    advance(1_500);
    expect(g.limit("ep_0")).toBe(3);
  });

  it("gives a failing endpoint one attempt at a time, spaced, and releases its waiting deliveries when it delivers again", () => {
    const { g, advance, attempt } = gate();
    for (let i = 0; i < 3; i++) attempt("ep_down", `msg_warm_${i}`, 10);
    expect(g.limit("ep_down")).toBe(3);
    for (let i = 0; i < FAILING_AFTER; i++) {
      expect(g.tryEnter("ep_down", `msg_fail_${i}`)).toBe(true);
      advance(5);
      expect(g.leave("ep_down", `msg_fail_${i}`, false)).toEqual([]);
    }
    // Failing now: one attempt at a time, and not again until the spacing has passed.
    expect(g.limit("ep_down")).toBe(1);
    expect(g.tryEnter("ep_down", "msg_a")).toBe(false);
    const waitingFor = g.deferral("ep_down", "msg_a");
    expect(waitingFor).toBeGreaterThanOrEqual(PROBE_SPACING_MS * 0.8);
    g.deferral("ep_down", "msg_b");
    advance(PROBE_SPACING_MS);
    expect(g.tryEnter("ep_down", "msg_probe")).toBe(true);
    expect(g.tryEnter("ep_down", "msg_c")).toBe(false);
    advance(5);
    // The probe delivered: the endpoint is healthy again, and msg_a and msg_b need not wait.
    expect(g.leave("ep_down", "msg_probe", true).sort()).toEqual(["msg_a", "msg_b"]);
    expect(g.limit("ep_down")).toBe(3);
    expect(g.tryEnter("ep_down", "msg_a")).toBe(true);
    expect(g.tryEnter("ep_down", "msg_b")).toBe(true);
    // A single failure among successes does not make an endpoint failing.
    g.leave("ep_down", "msg_a", false);
    g.leave("ep_down", "msg_b", true);
    expect(g.limit("ep_down")).toBe(3);
  });

  it("takes its failing thresholds from the options", () => {
    const { g, advance } = gate({ failingAfter: 5, probeSpacingMs: 2_000 });
    for (let i = 0; i < 5; i++) {
      // Still more than one slot after four failures: five are needed here, not FAILING_AFTER.
      expect(g.limit("ep_down")).toBe(Math.min(3, 1 + i));
      expect(g.tryEnter("ep_down", `msg_fail_${i}`)).toBe(true);
      advance(5);
      g.leave("ep_down", `msg_fail_${i}`, false);
    }
    expect(g.limit("ep_down")).toBe(1);
    expect(g.deferral("ep_down", "msg_a")).toBeGreaterThanOrEqual(2_000 * 0.8);
    advance(PROBE_SPACING_MS);
    expect(g.tryEnter("ep_down", "msg_probe")).toBe(false);
    advance(2_000 - PROBE_SPACING_MS);
    expect(g.tryEnter("ep_down", "msg_probe")).toBe(true);
  });
});
