import { connectDatabase, createTenant, createWorkStore, tenantScope, type Database } from "../src/index.js";
import { batcher } from "../src/work/batcher.js";
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from "@hookline/testing";

describe("batcher", () => {
  it("answers calls made together with one run, in order, and each call with its own result", async () => {
    const runs: number[][] = [];
    const double = batcher(
      async (inputs: readonly number[]) => {
        runs.push([...inputs]);
        return inputs.map((n) => n * 2);
      },
      { maxBatch: 4, maxConcurrent: 1 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(double));
    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(runs).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it("rejects every call of a batch whose run failed, and keeps serving later calls", async () => {
    let fail = true;
    const echo = batcher(
      async (inputs: readonly string[]) => {
        if (fail) throw new Error("boom");
        return inputs;
      },
      { maxBatch: 10, maxConcurrent: 2 },
    );
    await expect(Promise.all([echo("a"), echo("b")])).rejects.toThrow("boom");
    fail = false;
    expect(await echo("c")).toBe("c");
  });
});

describe("the work store", () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = connectDatabase({ url: database.url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"), poolMax: 8 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it("reads and records many concurrent successes, each exactly once", async () => {
    const { tenant } = await createTenant(db.prisma, { name: "w" });
    const scope = tenantScope(db, tenant.id);
    const endpoint = await scope.endpoints.create({ name: "e", url: "https://e.com/", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", headers: {}, timeoutSeconds: 5 });
    await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["w.x"] });
    const published = await scope.events.publishBatch(
      Array.from({ length: 60 }, (_, i) => ({ eventType: "w.x", data: { i } })),
      { idempotencyWindowMs: 1000 },
    );
    const ids = published.flatMap((p) => (p.outcome === "published" ? p.deliveries.map((d) => d.id) : []));
    const store = createWorkStore(db, { maxBatch: 200 });

    const works = await Promise.all(ids.map((id) => store.load(id)));
    expect(works.map((w) => w?.id)).toEqual(ids);
    expect(works[0]?.endpoint.secrets).toEqual(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);
    expect(await store.load("msg_00000000-0000-7000-8000-000000000000")).toBeUndefined();

    const attempt = (deliveryId: string) => ({ deliveryId, attemptNumber: 1, startedAt: new Date(), durationMs: 3, statusCode: 200, responseBody: "ok" });
    const rule = { endpointId: endpoint.id, failing: false, disableAfterMs: 1000 };
    // Every delivery twice, as if two workers raced (in one batch, as it happens): each is recorded once.
    const results = await Promise.all([...ids, ...ids].map((id) => store.record(attempt(id), { status: "succeeded" }, rule)));
    expect(results.filter((r) => r.recorded)).toHaveLength(ids.length);
    const { rows } = await db.pool.query<{ status: string; attempts: string }>(
      `SELECT d.status, (SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id) AS attempts FROM deliveries d WHERE d.id = ANY($1::text[])`,
      [ids],
    );
    expect(rows.every((r) => r.status === "succeeded" && r.attempts === "1")).toBe(true);
  });
});
