import { startReceiver, type Receiver } from "@hookline/testing";
import { endpointFor, publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

// One delivery at a time, so that arrival order is publish order and can be asserted.
let engine: Engine;
let r: Receiver;
beforeAll(async () => {
  engine = await startEngine({ WORKER_CONCURRENCY: "1" }, { workers: 0 });
  r = await startReceiver();
});
afterAll(async () => {
  await r.close();
  await engine.close();
});

const seq = (body: string) => (JSON.parse(body) as { data: { n: number } }).data.n;

describe("a paused endpoint", () => {
  it("holds deliveries, attempts none while paused, and releases all in publish order on resume", async () => {
    const tenant = await engine.newTenant();
    const { endpointId } = await endpointFor(tenant.request, r.url, ["order.placed"]);

    // Published while active and queued, but no worker has taken them when the pause lands:
    // the worker must park them, not attempt them.
    const early = [];
    for (let n = 0; n < 5; n++) early.push(await publish(tenant.request, "order.placed", { n }));
    const paused = await tenant.request("PATCH", `/v1/endpoints/${endpointId}`, { body: { status: "PAUSED" } });
    expect(paused.body).toMatchObject({ status: "PAUSED", paused_at: expect.any(String) });
    // Published while paused: held at once, never queued.
    const late = [];
    for (let n = 5; n < 20; n++) late.push(await publish(tenant.request, "order.placed", { n }));

    await engine.addWorker();
    for (const event of [...early, ...late]) {
      const [delivery] = await settledDeliveries(tenant.request, event.id, ["held"]);
      expect(delivery?.attempt_count).toBe(0);
    }
    expect(r.requests).toHaveLength(0);

    const resumed = await tenant.request("PATCH", `/v1/endpoints/${endpointId}`, { body: { status: "ACTIVE" } });
    expect(resumed.body).toMatchObject({ status: "ACTIVE", paused_at: null });
    await r.waitFor(20);
    for (const event of [...early, ...late]) await settledDeliveries(tenant.request, event.id, ["succeeded"]);

    const order = r.requests.map((q) => seq(q.body));
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"])).size).toBe(20);
    expect(r.requests).toHaveLength(20);
  });
});
