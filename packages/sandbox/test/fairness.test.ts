import { DEFAULT_SANDBOX_LIMITS, SandboxPool, type InvocationResult } from "../src/index.js";
import { FairQueue } from "../src/fair-queue.js";
import { invocation } from "./helpers.js";

const HELLO = 'export default async () => new Response("hello world");';
const SPIN = "export default async () => { while (true) {} };";

describe("FairQueue", () => {
  test("serves tenants round-robin, FIFO within a tenant", () => {
    const queue = new FairQueue<string>(10, 10);
    for (const item of ["a1", "a2", "a3"]) queue.push("a", item);
    for (const item of ["b1", "b2"]) queue.push("b", item);
    queue.push("c", "c1");
    const order: string[] = [];
    for (let next = queue.next(); next !== undefined; next = queue.next()) order.push(next.item);
    expect(order).toEqual(["a1", "b1", "c1", "a2", "b2", "a3"]);
  });

  test("never runs more than maxRunning of one tenant at once, and skips a tenant at its cap", () => {
    const queue = new FairQueue<string>(1, 10);
    queue.push("a", "a1");
    queue.push("a", "a2");
    queue.push("b", "b1");
    expect(queue.next()?.item).toBe("a1");
    expect(queue.next()?.item).toBe("b1");
    expect(queue.next()).toBeUndefined();
    queue.done("a");
    expect(queue.next()?.item).toBe("a2");
  });

  test("refuses past maxWaiting per tenant, counting only waiting items", () => {
    const queue = new FairQueue<string>(1, 2);
    expect(queue.push("a", "1")).toBe(true);
    expect(queue.next()?.item).toBe("1");
    expect(queue.push("a", "2")).toBe(true);
    expect(queue.push("a", "3")).toBe(true);
    expect(queue.push("a", "4")).toBe(false);
    expect(queue.push("b", "1")).toBe(true);
    expect(queue.waiting("a")).toBe(2);
  });
});

describe("SandboxPool fairness", () => {
  test("while one tenant's endless loops keep the pool busy, another tenant's invocations still complete", async () => {
    const pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS });
    try {
      await Promise.all([pool.run(invocation(HELLO)), pool.run(invocation(HELLO))]); // both threads ready
      const finished: string[] = [];
      const track = (name: string, promise: Promise<InvocationResult>) =>
        promise.then((result) => {
          finished.push(name);
          return result;
        });
      // Each loop holds a thread for its whole CPU budget (300 ms here).
      const evil = Array.from({ length: 6 }, (_, i) =>
        track(`evil-${i}`, pool.run(invocation(SPIN, { tenantId: "evil", limits: { cpuMs: 300 } }))),
      );
      const good = Array.from({ length: 6 }, (_, i) => track(`good-${i}`, pool.run(invocation(HELLO, { tenantId: "good" }))));
      const goodResults = await Promise.all(good);
      const evilResults = await Promise.all(evil);
      expect(goodResults.map((result) => result.outcome)).toEqual(Array(6).fill("ok"));
      expect(evilResults.map((result) => result.outcome)).toEqual(Array(6).fill("cpu_limit"));
      // maxPerTenant defaults to ceil(2 / 2) = 1: the loops take one thread at a time, so every good
      // invocation is done before the loops are, though all the loops were queued first.
      const lastGood = Math.max(...good.map((_, i) => finished.indexOf(`good-${i}`)));
      const lastEvil = Math.max(...evil.map((_, i) => finished.indexOf(`evil-${i}`)));
      expect(lastGood).toBeLessThan(lastEvil);
      expect(finished.indexOf("good-5")).toBeLessThan(finished.indexOf("evil-2"));
    } finally {
      await pool.close();
    }
  });

  test("an invocation answers busy at once when its tenant already has maxQueuedPerTenant waiting", async () => {
    const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, maxQueuedPerTenant: 2 });
    try {
      await pool.run(invocation(HELLO)); // the thread is ready: the next run starts at once
      const running = pool.run(invocation(SPIN, { tenantId: "flood", limits: { cpuMs: 300 } }));
      const waiting = [pool.run(invocation(HELLO, { tenantId: "flood" })), pool.run(invocation(HELLO, { tenantId: "flood" }))];
      const refused = await pool.run(invocation(HELLO, { tenantId: "flood" }));
      expect(refused.outcome).toBe("busy");
      expect(refused.error?.message).toContain("maxQueuedPerTenant");
      // Another tenant is not refused because of it.
      const other = pool.run(invocation(HELLO, { tenantId: "other" }));
      expect((await running).outcome).toBe("cpu_limit");
      expect((await Promise.all(waiting)).map((result) => result.outcome)).toEqual(["ok", "ok"]);
      expect((await other).outcome).toBe("ok");
    } finally {
      await pool.close();
    }
  });

  test("close answers waiting invocations busy and lets the running one finish", async () => {
    const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
    await pool.run(invocation(HELLO));
    const running = pool.run(invocation(SPIN, { limits: { cpuMs: 200 } }));
    const waiting = pool.run(invocation(HELLO));
    await pool.close();
    expect((await running).outcome).toBe("cpu_limit");
    expect((await waiting).outcome).toBe("busy");
    expect((await pool.run(invocation(HELLO))).outcome).toBe("busy");
  });
});
