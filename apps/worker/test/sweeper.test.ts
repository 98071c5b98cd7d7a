import { createLogger } from "@hookline/core";
import { connectDatabase, createTenant, tenantScope, type Database } from "@hookline/db";
import { createRedis, DeliveryQueue } from "@hookline/queue";
import { createTestDatabase, testQueuePrefix, TEST_ENCRYPTION_KEY, TEST_REDIS_URL, type TestDatabase } from "@hookline/testing";
import type { Redis } from "ioredis";
import { startSweeper } from "../src/sweeper.js";

let database: TestDatabase;
let db: Database;
let redis: Redis;
let queue: DeliveryQueue;
const prefix = testQueuePrefix();
const logger = createLogger({ level: "silent", name: "sweeper-test" });

beforeAll(async () => {
  database = await createTestDatabase();
  db = connectDatabase({ url: database.url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"), poolMax: 6 });
  redis = createRedis(TEST_REDIS_URL, "producer");
  queue = new DeliveryQueue(redis, prefix.prefix);
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await db.close();
  await database.drop();
  await prefix.cleanup();
});

/** Commits `count` due deliveries without enqueueing them, as if the enqueue after commit failed. */
async function dueWithoutJobs(count: number): Promise<string[]> {
  const { tenant } = await createTenant(db.prisma, { name: "sweep" });
  const scope = tenantScope(db, tenant.id);
  const endpoint = await scope.endpoints.create({ name: "e", url: "http://127.0.0.1:9/", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", headers: {}, timeoutSeconds: 1 });
  await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["sweep.me"] });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await scope.events.publish({ eventType: "sweep.me", data: { i } });
    if (result.outcome === "published") ids.push(...result.deliveries.map((d) => d.id));
  }
  return ids;
}

describe("the sweeper", () => {
  it("enqueues due deliveries that have no job, once each, even with several sweepers at once", async () => {
    const ids = await dueWithoutJobs(30);
    const sweepers = [1, 2, 3].map(() => startSweeper({ db, queue, logger }, { intervalMs: 3_600_000, graceMs: 0, batchSize: 7 }));
    const counts = await Promise.all(sweepers.map((s) => s.sweepOnce()));
    await Promise.all(sweepers.map((s) => s.stop()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    const jobs = await queue.queue.getJobs(["waiting", "delayed", "active"]);
    expect(jobs.map((j) => j.id).sort()).toEqual([...ids].sort());
  });

  it("leaves deliveries alone that still have a job, or are not yet past the grace period", async () => {
    const sweeper = startSweeper({ db, queue, logger }, { intervalMs: 3_600_000, graceMs: 0 });
    expect(await sweeper.sweepOnce()).toBe(0);
    await dueWithoutJobs(3);
    const patient = startSweeper({ db, queue, logger }, { intervalMs: 3_600_000, graceMs: 60_000 });
    expect(await patient.sweepOnce()).toBe(0);
    expect(await sweeper.sweepOnce()).toBe(3);
    await Promise.all([sweeper.stop(), patient.stop()]);
  });
});
