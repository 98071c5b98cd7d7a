import { useTestDatabase } from "@hookline/testing";
import { purgeExpiredHistory, tenantCutoffs, type Database } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";

const DAY_MS = 24 * 3600 * 1000;

/** Moves a delivery and its event `days` into the past, in the given state, with one attempt. */
async function age(db: Database, deliveryId: string, days: number, status: "succeeded" | "failed" | "pending" | "held") {
  const at = new Date(Date.now() - days * DAY_MS);
  await db.pool.query(
    `WITH d AS (UPDATE deliveries SET created_at = $2, status = $3::delivery_status, attempt_count = 1 WHERE id = $1 RETURNING event_id)
     UPDATE events SET created_at = $2 WHERE id = (SELECT event_id FROM d)`,
    [deliveryId, at, status],
  );
  await recordOldAttempt(db, deliveryId, at);
}

async function recordOldAttempt(db: Database, deliveryId: string, at: Date) {
  await db.pool.query(
    `INSERT INTO attempts (id, delivery_id, delivery_created_at, attempt_number, started_at, duration_ms, status_code)
     SELECT 'atm_' || $1, $1, created_at, 1, $2, 5, 200 FROM deliveries WHERE id = $1`,
    [deliveryId, at],
  );
}

/** An inbound endpoint's call and a flow's run, each `days` old, for the tenant. */
async function oldExecutions(db: Database, tenantId: string, days: number, flowStatus: "succeeded" | "queued") {
  const at = new Date(Date.now() - days * DAY_MS);
  const tag = `${tenantId}_${days}_${flowStatus}`;
  await db.pool.query(
    `WITH env AS (
       INSERT INTO environments (id, tenant_id, name, kind, secret_key, secret_key_hash, public_key, public_key_hash, updated_at)
       VALUES ('env_' || $1, $2, 'e' || $1, 'live', 's' || $1, decode(md5('s' || $1), 'hex'), 'p' || $1, decode(md5('p' || $1), 'hex'), now())
       RETURNING id),
     iep AS (
       INSERT INTO inbound_endpoints (id, tenant_id, name, path, method, access_level, updated_at)
       VALUES ('iep_' || $1, $2, 'i', '/p' || $1, 'POST', 'none', now()) RETURNING id),
     x AS (
       INSERT INTO executions (id, tenant_id, endpoint_id, environment_id, method, path, status, duration_ms, outcome, published_event_ids, created_at)
       SELECT 'exe_' || $1, $2, iep.id, env.id, 'POST', '/', 200, 1, 'ok', '{}', $3 FROM iep, env),
     i AS (INSERT INTO integrations (id, tenant_id, name, draft, updated_at) VALUES ('int_' || $1, $2, 'n', '{}', now()) RETURNING id)
     INSERT INTO flow_executions (id, tenant_id, integration_id, status, method, answer_status, published_event_ids, created_at)
     SELECT 'fex_' || $1, $2, i.id, $4::flow_execution_status, 'POST', 200, '{}', $3 FROM i`,
    [tag, tenantId, at, flowStatus],
  );
}

async function count(db: Database, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n);
}

describe("the retention purge", () => {
  const database = useTestDatabase();

  it("deletes each tenant's history past its own retention, and never an unfinished delivery or its event", async () => {
    const { db } = database;
    const a = await endpointWithDeliveries(db, "ra", 7);
    const b = await endpointWithDeliveries(db, "rb", 3);
    const [aOldOk, aOldFailed, aHeld, aPending, aRecent, aFresh, aEdge] = a.deliveryIds as [string, ...string[]];
    const [bOld, bRecent, bFresh] = b.deliveryIds as [string, ...string[]];
    // Tenant a follows the default (30 days); tenant b keeps 5.
    await db.pool.query("UPDATE tenants SET retention_days = 5 WHERE id = $1", [b.endpoint.tenantId]);
    await age(db, aOldOk!, 45, "succeeded");
    await age(db, aOldFailed!, 40, "failed");
    await age(db, aHeld!, 90, "held");
    await age(db, aPending!, 60, "pending");
    await age(db, aRecent!, 10, "succeeded");
    await age(db, aEdge!, 29, "succeeded");
    await age(db, bOld!, 6.5, "succeeded");
    await age(db, bRecent!, 3, "failed");
    await oldExecutions(db, a.endpoint.tenantId, 40, "succeeded");
    await oldExecutions(db, a.endpoint.tenantId, 41, "queued");
    await oldExecutions(db, a.endpoint.tenantId, 2, "succeeded");
    await oldExecutions(db, b.endpoint.tenantId, 8, "succeeded");

    const cutoffs = new Map((await tenantCutoffs(db, 30)).map((c) => [c.tenantId, c.cutoff]));
    const startOfToday = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    expect(cutoffs.get(a.endpoint.tenantId)?.getTime()).toBe(startOfToday - 30 * DAY_MS);
    expect(cutoffs.get(b.endpoint.tenantId)?.getTime()).toBe(startOfToday - 5 * DAY_MS);

    // Batches of two: several statements per kind.
    const purged = await purgeExpiredHistory(db, { defaultDays: 30, batchSize: 2 });
    expect(purged).toEqual({ deliveries: 3, events: 3, executions: 3, flowExecutions: 2 });

    const left = async (ids: readonly string[]) =>
      (await db.prisma.delivery.findMany({ where: { id: { in: [...ids] } }, select: { id: true } })).map((d) => d.id).sort();
    expect(await left(a.deliveryIds)).toEqual([aHeld, aPending, aRecent, aFresh, aEdge].sort());
    expect(await left(b.deliveryIds)).toEqual([bRecent, bFresh].sort());
    // Every remaining delivery kept its event and its attempt; the purged ones' attempts went with them.
    expect(await count(db, "SELECT count(*) AS n FROM deliveries d LEFT JOIN events e ON e.id = d.event_id WHERE e.id IS NULL", [])).toBe(
      0,
    );
    expect(await count(db, "SELECT count(*) AS n FROM attempts WHERE delivery_id = ANY($1)", [[aOldOk, aOldFailed, bOld]])).toBe(0);
    expect(await count(db, "SELECT count(*) AS n FROM attempts WHERE delivery_id = ANY($1)", [[aHeld, aPending, aRecent, bRecent]])).toBe(
      4,
    );
    expect(await count(db, "SELECT count(*) AS n FROM events", [])).toBe(7);
    // The queued flow run is unfinished: kept, however old.
    expect(await count(db, "SELECT count(*) AS n FROM flow_executions WHERE status = 'queued'", [])).toBe(1);
    expect(await count(db, "SELECT count(*) AS n FROM executions", [])).toBe(1);

    // A second pass finds nothing more.
    expect(await purgeExpiredHistory(db, { defaultDays: 30, batchSize: 2 })).toEqual({
      deliveries: 0,
      events: 0,
      executions: 0,
      flowExecutions: 0,
    });
  });

  it("waits after each batch in proportion to its time, at the duty asked for", async () => {
    const { db } = database;
    const { deliveryIds } = await endpointWithDeliveries(db, "duty", 3);
    for (const id of deliveryIds) await age(db, id, 50, "succeeded");
    const pauses: number[] = [];
    const purged = await purgeExpiredHistory(db, {
      defaultDays: 30,
      batchSize: 1,
      dutyPercent: 25,
      pause: async (ms) => pauses.push(ms),
    });
    expect(purged).toMatchObject({ deliveries: 3, events: 3 });
    // Three full batches of deliveries and three of events, each followed by a pause of three
    // times its own duration (25%); the last, short batch of each kind ends the kind without one.
    expect(pauses).toHaveLength(6);
    expect(pauses.every((ms) => ms > 0 && ms <= 10_000)).toBe(true);

    const { deliveryIds: more } = await endpointWithDeliveries(db, "full", 2);
    for (const id of more) await age(db, id, 50, "succeeded");
    const none: number[] = [];
    await purgeExpiredHistory(db, { defaultDays: 30, batchSize: 1, dutyPercent: 100, pause: async (ms) => none.push(ms) });
    expect(none).toEqual([]);
  });
});
