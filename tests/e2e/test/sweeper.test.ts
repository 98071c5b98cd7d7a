import { createRedis } from "@hookline/queue";
import { startReceiver, TEST_REDIS_URL, type Receiver } from "@hookline/testing";
import { endpointFor, eventually, publish, startEngine, type Engine } from "../src/engine.js";

/** Postgres is the truth: deliveries whose jobs vanished from Redis are enqueued again. */
let engine: Engine;
let r: Receiver;
beforeAll(async () => {
  engine = await startEngine({ SWEEP_INTERVAL_SECONDS: "0.1", SWEEP_GRACE_SECONDS: "0" }, { workers: 0 });
  r = await startReceiver();
});
afterAll(async () => {
  await r.close();
  await engine.close();
});

async function deleteQueueKeys(prefix: string) {
  const redis = createRedis(TEST_REDIS_URL, "producer");
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

it("delivers events whose jobs were lost from Redis after the rows were committed", async () => {
  const tenant = await engine.newTenant();
  await endpointFor(tenant.request, r.url, ["lost.job"]);
  const events = [];
  for (let i = 0; i < 25; i++) events.push(await publish(tenant.request, "lost.job", { i }));
  await deleteQueueKeys(engine.config.queuePrefix);

  await engine.addWorker();
  await r.waitFor(25);
  const ids = new Set(r.requests.map((q) => (JSON.parse(q.body) as { id: string }).id));
  expect(ids).toEqual(new Set(events.map((e) => e.id)));
  await eventually(async () => ((await engine.db.prisma.delivery.count({ where: { status: "pending" } })) === 0 ? true : undefined));
});
