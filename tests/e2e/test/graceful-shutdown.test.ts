import { fileURLToPath } from "node:url";
import { spawnTsProcess, startReceiver, TEST_REDIS_URL, type Receiver } from "@hookline/testing";
import { endpointFor, publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));

// A new endpoint starts with SLOW_ENDPOINT_MAX_IN_FLIGHT slots (slow start, default 2); three
// here, so three deliveries start at once in each worker and none is deferred to come back at a
// moment the test cannot know.
const SLOTS = { SLOW_ENDPOINT_MAX_IN_FLIGHT: "3" };

let engine: Engine;
let slow: Receiver;
beforeAll(async () => {
  engine = await startEngine(SLOTS, { workers: 0 });
  slow = await startReceiver(() => ({ status: 200, delayMs: 3_000 }));
});
afterAll(async () => {
  await slow.close();
  await engine.close();
});

it("on SIGTERM finishes the deliveries in flight, takes no new ones, and exits 0", async () => {
  const worker = spawnTsProcess(WORKER_MAIN, {
    DATABASE_URL: engine.config.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: engine.config.queuePrefix,
    // Its three slots fill at once; the other three deliveries stay in the queue.
    WORKER_CONCURRENCY: "3",
    ...SLOTS,
    LOG_LEVEL: "info",
  });
  await worker.waitFor("Hookline worker ready");
  const tenant = await engine.newTenant();
  await endpointFor(tenant.request, slow.url, ["slow.job"], { timeout_seconds: 10 });
  const events = [];
  for (let i = 0; i < 6; i++) events.push(await publish(tenant.request, "slow.job", { i }));

  await slow.waitFor(3); // three in flight, three waiting
  expect(await worker.stop("SIGTERM")).toBe(0);
  expect(worker.lines.join("\n")).toContain("worker stopped");
  expect(slow.requests).toHaveLength(3);

  const states = await Promise.all(events.map(async (e) => (await settledDeliveries(tenant.request, e.id, ["succeeded", "pending"]))[0]));
  // The three in flight finished and were recorded; the other three wait for the next worker.
  expect(states.filter((d) => d?.status === "succeeded")).toHaveLength(3);
  expect(states.filter((d) => d?.status === "pending" && d.attempt_count === 0)).toHaveLength(3);

  await engine.addWorker();
  for (const event of events) await settledDeliveries(tenant.request, event.id, ["succeeded"]);
  expect(slow.requests).toHaveLength(6);
  expect(new Set(slow.requests.map((q) => q.headers["webhook-id"])).size).toBe(6);
}, 60_000);
