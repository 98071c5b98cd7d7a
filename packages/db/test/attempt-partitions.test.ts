import { useTestDatabase } from "@hookline/testing";
import {
  attemptPartitions,
  dropExpiredAttemptPartitions,
  ensureAttemptPartitions,
  purgeExpiredHistory,
  type Database,
} from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";

const DAY_MS = 24 * 3600 * 1000;
const startOfToday = () => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
const daysAgo = (days: number) => new Date(startOfToday().getTime() - days * DAY_MS + 3600_000);
const stamp = (day: Date) => day.toISOString().slice(0, 10).replaceAll("-", "");

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n);
}

/** Makes the delivery `days` old (its event too), in `status`, with one attempt stored where Postgres routes it. */
async function aged(db: Database, deliveryId: string, days: number, status: string) {
  await db.pool.query(
    `WITH d AS (UPDATE deliveries SET created_at = $2, status = $3::delivery_status, attempt_count = 1 WHERE id = $1 RETURNING event_id)
     UPDATE events SET created_at = $2 WHERE id = (SELECT event_id FROM d)`,
    [deliveryId, daysAgo(days), status],
  );
  await db.pool.query(
    `INSERT INTO attempts (id, delivery_id, delivery_created_at, attempt_number, started_at, duration_ms, status_code)
     SELECT 'atm_' || id, id, created_at, 1, created_at, 5, 200 FROM deliveries WHERE id = $1`,
    [deliveryId],
  );
}

const partitionOf = async (db: Database, deliveryId: string) =>
  (await db.pool.query<{ p: string }>("SELECT tableoid::regclass::text AS p FROM attempts WHERE delivery_id = $1", [deliveryId])).rows[0]
    ?.p;

describe("the partitions of attempts", () => {
  const database = useTestDatabase();

  it("start with one for the time before the migration, one a day for a week ahead, and a default", async () => {
    const partitions = await attemptPartitions(database.db);
    const names = partitions.map((p) => p.name);
    expect(names).toContain("attempts_default");
    expect(partitions.find((p) => p.isDefault)?.name).toBe("attempts_default");
    const before = partitions.find((p) => p.name.startsWith("attempts_before_"));
    expect(before).toMatchObject({ from: null, isDefault: false });
    const daily = partitions.filter((p) => p.name.startsWith("attempts_p"));
    expect(daily.length).toBeGreaterThanOrEqual(8);
    for (const p of daily) expect((p.to?.getTime() ?? 0) - (p.from?.getTime() ?? 0)).toBe(DAY_MS);
  });

  it("are created ahead, take rows that landed in the default partition, and drop a day only when nothing unfinished is that old", async () => {
    const { db } = database;
    // Daily partitions for the last 45 days instead of the migration's one partition for the past.
    const before = (await attemptPartitions(db)).find((p) => p.name.startsWith("attempts_before_"))!;
    await db.pool.query(`DROP TABLE "${before.name}"`);
    const created = await ensureAttemptPartitions(db, { from: daysAgo(45), days: 60 });
    expect(created).toContain(`attempts_p${stamp(daysAgo(45))}`);
    expect(created).toContain(`attempts_p${stamp(daysAgo(1))}`);
    // Today's and the week ahead were there already.
    expect(created).not.toContain(`attempts_p${stamp(startOfToday())}`);
    expect(await ensureAttemptPartitions(db, { from: daysAgo(45), days: 60 })).toEqual([]);

    const { deliveryIds } = await endpointWithDeliveries(db, "part", 5);
    const [old, held, oldToo, recent, lateDay] = deliveryIds as [string, string, string, string, string];
    await aged(db, old, 44, "succeeded");
    await aged(db, held, 40, "held");
    await aged(db, oldToo, 35, "failed");
    await aged(db, recent, 10, "succeeded");
    expect(await partitionOf(db, old)).toBe(`attempts_p${stamp(daysAgo(44))}`);

    // A day with no partition: its attempt is kept in the default partition, not refused, and
    // moves into the day's partition when the workers create it.
    await db.pool.query(`DROP TABLE "attempts_p${stamp(daysAgo(20))}"`);
    await aged(db, lateDay, 20, "succeeded");
    expect(await partitionOf(db, lateDay)).toBe("attempts_default");
    expect(await ensureAttemptPartitions(db, { from: daysAgo(20), days: 0 })).toEqual([`attempts_p${stamp(daysAgo(20))}`]);
    expect(await partitionOf(db, lateDay)).toBe(`attempts_p${stamp(daysAgo(20))}`);
    expect(await count(db, "SELECT count(*) AS n FROM attempts_default")).toBe(0);

    // The held delivery, 40 days old, pins its day and every later one; older days go.
    const firstDrop = await dropExpiredAttemptPartitions(db, 30);
    expect(firstDrop).toEqual([45, 44, 43, 42, 41].map((d) => `attempts_p${stamp(daysAgo(d))}`));
    expect(await count(db, "SELECT count(*) AS n FROM attempts WHERE delivery_id = $1", [held])).toBe(1);
    expect(await count(db, "SELECT count(*) AS n FROM attempts WHERE delivery_id = $1", [old])).toBe(0);

    // Once it is delivered, every day before the retention's horizon (30 days) goes.
    await db.pool.query("UPDATE deliveries SET status = 'succeeded' WHERE id = $1", [held]);
    const secondDrop = await dropExpiredAttemptPartitions(db, 30);
    expect(secondDrop).toEqual(Array.from({ length: 10 }, (_, i) => `attempts_p${stamp(daysAgo(40 - i))}`));
    const left = (await attemptPartitions(db)).map((p) => p.name);
    expect(left).toContain(`attempts_p${stamp(daysAgo(30))}`);
    expect(left).not.toContain(`attempts_p${stamp(daysAgo(31))}`);

    // A tenant that keeps 60 days holds every partition back.
    await db.pool.query("UPDATE tenants SET retention_days = 60 WHERE id = (SELECT tenant_id FROM deliveries WHERE id = $1)", [recent]);
    const kept = (await attemptPartitions(db)).length;
    expect(await dropExpiredAttemptPartitions(db, 5)).toEqual([]);
    expect((await attemptPartitions(db)).length).toBe(kept);
    await db.pool.query("UPDATE tenants SET retention_days = NULL");

    // The rows of the dropped days' deliveries go next, with nothing left to cascade to.
    const purged = await purgeExpiredHistory(db, { defaultDays: 30, batchSize: 100 });
    expect(purged.deliveries).toBe(3);
    expect(await count(db, "SELECT count(*) AS n FROM deliveries WHERE id = ANY($1)", [[recent, lateDay]])).toBe(2);
    expect(await count(db, "SELECT count(*) AS n FROM attempts WHERE delivery_id = ANY($1)", [[recent, lateDay]])).toBe(2);
  });
});
