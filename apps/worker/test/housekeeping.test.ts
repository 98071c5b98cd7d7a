import { fileURLToPath } from "node:url";
import { createTenant, tenantScope } from "@hookline/db";
import { spawnTsProcess, testQueuePrefix, TEST_REDIS_URL, useTestDatabase } from "@hookline/testing";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const DAY_MS = 24 * 3600 * 1000;

const queue = testQueuePrefix();
afterAll(() => queue.cleanup());

describe("a worker's housekeeping", () => {
  const database = useTestDatabase();

  it("purges, in the background, a finished delivery past retention and keeps a held one as old", async () => {
    const { db } = database;
    const { tenant } = await createTenant(db, { name: "hk" });
    const scope = tenantScope(db, tenant.id);
    const endpoint = await scope.endpoints.create({
      name: "e",
      url: "https://hk.example/",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      headers: {},
      timeoutSeconds: 5,
    });
    await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["hk.x"] });
    const published = await scope.events.publishBatch(
      [0, 1].map((i) => ({ eventType: "hk.x", data: { i } })),
      { idempotencyWindowMs: 1000 },
    );
    const [done, held] = published.flatMap((p) => (p.outcome === "published" ? p.deliveries.map((d) => d.id) : []));
    const old = new Date(Date.now() - 40 * DAY_MS);
    await db.pool.query("UPDATE deliveries SET created_at = $2, status = 'succeeded' WHERE id = $1", [done, old]);
    await db.pool.query("UPDATE deliveries SET created_at = $2, status = 'held' WHERE id = $1", [held, old]);
    await db.pool.query("UPDATE events SET created_at = $1", [old]);

    const worker = spawnTsProcess(MAIN, {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queue.prefix,
      LOG_LEVEL: "info",
      RETENTION_DAYS: "30",
    });
    try {
      await worker.waitFor("purged history past its retention");
    } finally {
      expect(await worker.stop("SIGTERM")).toBe(0);
    }
    const line = worker.lines
      .map((l) => JSON.parse(l) as { msg: string; purged?: object })
      .find((l) => l.msg === "purged history past its retention");
    expect(line?.purged).toEqual({ deliveries: 1, events: 1, executions: 0, flowExecutions: 0 });
    const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM deliveries ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual([held]);
  });
});
