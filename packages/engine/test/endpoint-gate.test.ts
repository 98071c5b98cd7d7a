import { EndpointGate } from "../src/endpoint-gate.js";

const gate = () => new EndpointGate({ maxInFlight: 3, slowMaxInFlight: 1, slowAfterMs: 1_000 });

describe("EndpointGate", () => {
  it("lets each endpoint have at most maxInFlight attempts, independently of the others", () => {
    const g = gate();
    expect([1, 2, 3, 4].map((i) => g.tryEnter("ep_a", `msg_${i}`))).toEqual([true, true, true, false]);
    expect(g.tryEnter("ep_b", "msg_5")).toBe(true);
    g.leave("ep_a", 10);
    expect(g.tryEnter("ep_a", "msg_4")).toBe(true);
  });

  it("narrows a slow endpoint to slowMaxInFlight, and widens it again once it is fast", () => {
    const g = gate();
    // The others answer in 10 ms.
    for (let i = 0; i < 200; i++) {
      g.tryEnter("ep_fast", `msg_f${i}`);
      g.leave("ep_fast", 10);
    }
    for (let i = 0; i < 3; i++) g.tryEnter("ep_slow", `msg_${i}`);
    for (let i = 0; i < 3; i++) g.leave("ep_slow", 5_000);
    expect(g.limit("ep_slow")).toBe(1);
    expect(g.tryEnter("ep_slow", "msg_x")).toBe(true);
    expect(g.tryEnter("ep_slow", "msg_y")).toBe(false);
    for (let i = 0; i < 30; i++) {
      g.leave("ep_slow", 5);
      g.tryEnter("ep_slow", `msg_fast_${i}`);
    }
    expect(g.limit("ep_slow")).toBe(3);
  });

  it("defers a turned-away delivery about as long as the endpoint's attempts take, longer each time", () => {
    const g = gate();
    g.tryEnter("ep_a", "msg_0");
    g.leave("ep_a", 2_000);
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
    expect(g.deferral("ep_a", "msg_1")).toBeLessThanOrEqual(2_400);
    expect(g.deferral("ep_b", "msg_9")).toBeGreaterThanOrEqual(40);
  });

  it("does not call every endpoint slow when every attempt is slow (an overloaded machine)", () => {
    const g = gate();
    for (let i = 0; i < 300; i++) {
      const endpoint = `ep_${i % 3}`;
      g.tryEnter(endpoint, `msg_${i}`);
      g.leave(endpoint, 1_500);
    }
    expect(["ep_0", "ep_1", "ep_2"].map((e) => g.limit(e))).toEqual([3, 3, 3]);
  });
});
