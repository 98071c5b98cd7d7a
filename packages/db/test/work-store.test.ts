import { createWorkStore } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";
import { batcher } from "../src/batcher.js";
import { useTestDatabase } from "@hookline/testing";

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
  const database = useTestDatabase({ poolMax: 8 });

  it("reads and records many concurrent successes, each exactly once", async () => {
    const { endpoint, deliveryIds: ids } = await endpointWithDeliveries(database.db, "w", 60);
    const store = createWorkStore(database.db, { maxBatch: 200 });

    const works = await Promise.all(ids.map((id) => store.load(id)));
    expect(works.map((w) => w?.id)).toEqual(ids);
    expect(works[0]?.endpoint.secrets).toEqual(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);
    expect(await store.load("msg_00000000-0000-7000-8000-000000000000")).toBeUndefined();

    const attempt = (deliveryId: string) => ({
      deliveryId,
      attemptNumber: 1,
      startedAt: new Date(),
      durationMs: 3,
      statusCode: 200,
      responseBody: "ok",
      lastError: null,
    });
    // Every delivery twice, as if two workers raced (in one batch, as it happens): each is recorded once.
    const results = await Promise.all(
      [...ids, ...ids].map((id) => store.record(attempt(id), { status: "succeeded" }, { kind: "none" }, endpoint.id)),
    );
    expect(results.filter((r) => r.recorded)).toHaveLength(ids.length);
    const { rows } = await database.db.pool.query<{ status: string; attempts: string }>(
      `SELECT d.status, (SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id) AS attempts
       FROM deliveries d WHERE d.id = ANY($1::text[])`,
      [ids],
    );
    expect(rows.every((r) => r.status === "succeeded" && r.attempts === "1")).toBe(true);
  });

  it("records a failing endpoint's retries and failures in a group, leaving its row alone, each exactly once", async () => {
    const { endpoint, deliveryIds: ids } = await endpointWithDeliveries(database.db, "f", 40);
    const failingSince = new Date(Date.now() - 60_000);
    await database.db.pool.query(`UPDATE endpoints SET failing_since = $2 WHERE id = $1`, [endpoint.id, failingSince]);
    const before = await database.db.pool.query<{ xmin: string }>(`SELECT xmin::text FROM endpoints WHERE id = $1`, [endpoint.id]);
    const store = createWorkStore(database.db, { maxBatch: 200 });
    const retryAt = new Date(Date.now() + 5_000);
    const attempt = (deliveryId: string) => ({
      deliveryId,
      attemptNumber: 1,
      startedAt: new Date(),
      durationMs: 2,
      statusCode: 500,
      errorKind: "http_error",
      errorMessage: "500 Internal Server Error",
      responseBody: "no",
      lastError: "http_error: 500 Internal Server Error",
    });
    // Half are retried later, half have run out of attempts; every one recorded twice, as if raced.
    const next = (i: number) => (i % 2 === 0 ? { status: "pending" as const, nextAttemptAt: retryAt } : { status: "failed" as const });
    const results = await Promise.all(
      [...ids, ...ids].map((id, i) => store.record(attempt(id), next(i % ids.length), { kind: "none" }, endpoint.id)),
    );
    expect(results.filter((r) => r.recorded)).toHaveLength(ids.length);

    const { rows } = await database.db.pool.query<{
      id: string;
      status: string;
      next_attempt_at: Date | null;
      last_error: string;
      completed_at: Date | null;
      attempts: string;
      error_kind: string;
    }>(
      `SELECT d.id, d.status, d.next_attempt_at, d.last_error, d.completed_at,
              (SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id) AS attempts,
              (SELECT a.error_kind FROM attempts a WHERE a.delivery_id = d.id LIMIT 1) AS error_kind
       FROM deliveries d WHERE d.id = ANY($1::text[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      const row = byId.get(id)!;
      expect(row.attempts).toBe("1");
      expect(row.error_kind).toBe("http_error");
      expect(row.last_error).toBe("http_error: 500 Internal Server Error");
      if (i % 2 === 0) {
        expect([row.status, row.next_attempt_at?.getTime(), row.completed_at]).toEqual(["pending", retryAt.getTime(), null]);
      } else {
        expect([row.status, row.next_attempt_at]).toEqual(["failed", null]);
        expect(row.completed_at).not.toBeNull();
      }
    });
    // The endpoint row was not written: no lock taken, no new row version.
    const after = await database.db.pool.query<{ xmin: string; failing_since: Date }>(
      `SELECT xmin::text, failing_since FROM endpoints WHERE id = $1`,
      [endpoint.id],
    );
    expect(after.rows[0]).toEqual({ xmin: before.rows[0]!.xmin, failing_since: failingSince });
  });
});

describe("health changes", () => {
  const database = useTestDatabase();
  const failed = (deliveryId: string, startedAt: Date) => ({
    deliveryId,
    attemptNumber: 1,
    startedAt,
    durationMs: 2,
    statusCode: 410,
    lastError: null,
  });

  it("starts a run of failures, keeps the first start, and ends it on a success", async () => {
    const {
      endpoint,
      deliveryIds: [a, b, c],
    } = await endpointWithDeliveries(database.db, "h", 3);
    const store = createWorkStore(database.db);
    const first = new Date(Date.now() - 1_000);
    await store.record(failed(a!, first), { status: "failed" }, { kind: "failing", since: first }, endpoint.id);
    // A second worker that read the endpoint healthy too: the earlier start stays.
    await store.record(failed(b!, new Date()), { status: "failed" }, { kind: "failing", since: new Date() }, endpoint.id);
    const failing = await database.db.prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(failing.failingSince?.getTime()).toBe(first.getTime());
    await store.record({ ...failed(c!, new Date()), statusCode: 200 }, { status: "succeeded" }, { kind: "recovered" }, endpoint.id);
    expect((await database.db.prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toBeNull();
  });

  it("disables an active endpoint once, saying why, and reports it to the caller that did", async () => {
    const {
      endpoint,
      deliveryIds: [a, b],
    } = await endpointWithDeliveries(database.db, "d", 2);
    const store = createWorkStore(database.db);
    const since = new Date();
    const disable = { kind: "disable" as const, since, reason: "receiver answered 410 Gone" };
    const recorded = await store.record(failed(a!, since), { status: "failed" }, disable, endpoint.id);
    expect(recorded).toMatchObject({ recorded: true, disabledEndpoint: { reason: disable.reason, failingSince: since } });
    const row = await database.db.prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row).toMatchObject({ status: "DISABLED", disabledReason: disable.reason, failingSince: since });
    // Already disabled: recorded, but nobody is told twice.
    const again = await store.record(failed(b!, new Date()), { status: "failed" }, disable, endpoint.id);
    expect(again).toEqual({ recorded: true, disabledEndpoint: undefined });
  });
});
