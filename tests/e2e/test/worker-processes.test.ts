import { fileURLToPath } from "node:url";
import { spawnTsProcess, startReceiver, TEST_REDIS_URL, type Receiver, type SpawnedProcess } from "@hookline/testing";
import { endpointFor, eventually, publish, startEngine, type Engine } from "../src/engine.js";

const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));
const EVENTS = 1000;

let engine: Engine;
let r: Receiver;
const workers: SpawnedProcess[] = [];
beforeAll(async () => {
  engine = await startEngine({}, { workers: 0 });
  r = await startReceiver();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await r.close();
  await engine.close();
});

it(`two worker processes deliver a burst of ${EVENTS} events exactly once each`, async () => {
  for (let i = 0; i < 2; i++) {
    const worker = spawnTsProcess(WORKER_MAIN, {
      DATABASE_URL: engine.config.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: engine.config.queuePrefix,
      WORKER_CONCURRENCY: "20",
      LOG_LEVEL: "info",
    });
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitFor("Hookline worker ready")));

  const tenant = await engine.newTenant();
  const { endpointId } = await endpointFor(tenant.request, r.url, ["burst.event"]);
  const published: string[] = [];
  // Ten publishers at once, as a busy backend would.
  await Promise.all(
    Array.from({ length: 10 }, async (_, lane) => {
      for (let i = lane; i < EVENTS; i += 10) published.push((await publish(tenant.request, "burst.event", { i })).id);
    }),
  );

  await r.waitFor(EVENTS, 60_000);
  const succeeded = await eventually(async () => {
    const count = await engine.db.prisma.delivery.count({ where: { endpointId, status: "succeeded" } });
    return count === EVENTS ? count : undefined;
  }, 30_000);
  expect(succeeded).toBe(EVENTS);

  const ids = r.requests.map((q) => String(q.headers["webhook-id"]));
  expect(new Set(ids).size).toBe(EVENTS);
  expect(r.requests).toHaveLength(EVENTS);
  const eventIds = new Set(r.requests.map((q) => (JSON.parse(q.body) as { id: string }).id));
  expect(eventIds).toEqual(new Set(published));
  expect(await engine.db.prisma.attempt.count({ where: { delivery: { endpointId } } })).toBe(EVENTS);

  // Both processes took part.
  for (const worker of workers) expect(worker.lines.some((l) => l.includes("delivery attempted"))).toBe(true);
}, 120_000);
