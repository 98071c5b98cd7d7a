/*
 * S10: S2's load (open loop at half of S1's rate) quiet, then again while history past retention
 * is purged: millions of old attempts in daily partitions (`BENCH_PURGE_ATTEMPTS`, 5 million; half
 * a million quick) with their finished deliveries and events. The purge is the workers' own code
 * (dropExpiredAttemptPartitions, purgeExpiredHistory), run from the driver when the loaded phase
 * starts and stopped when it ends, at the workers' default duty (RETENTION_DUTY_PERCENT, 10;
 * `BENCH_PURGE_DUTY` sets another); the ratio of the two p99s is the figure.
 */
import { performance } from "node:perf_hooks";
import {
  attemptPartitions,
  connectDatabase,
  createTenant,
  dropExpiredAttemptPartitions,
  ensureAttemptPartitions,
  purgeExpiredHistory,
  tenantScope,
  type PurgeCounts,
} from "@hookline/db";
import type { BenchCluster } from "./cluster.js";
import { latency, type Durations } from "./scenarios.js";

const DAY_MS = 24 * 3600 * 1000;
const OLDEST_DAY = 45;
const DAYS = 10;

/** Old history: `attempts` finished deliveries, each with one attempt, spread over ten days 36 to 45 days ago. */
async function fillHistory(databaseUrl: string, attempts: number): Promise<{ partitions: number; fillMs: number }> {
  const startedAt = performance.now();
  const db = connectDatabase({ url: databaseUrl, encryptionKey: Buffer.alloc(32, 11), poolMax: 2 });
  try {
    // As an installation partitioned for months has it: a partition per past day, not the
    // migration's one partition for all time before it.
    for (const p of await attemptPartitions(db))
      if (p.name.startsWith("attempts_before_")) await db.pool.query(`DROP TABLE IF EXISTS "${p.name}"`);
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    await ensureAttemptPartitions(db, { from: new Date(today - OLDEST_DAY * DAY_MS), days: OLDEST_DAY });
    const { tenant } = await createTenant(db, { name: "history" });
    const endpoint = await tenantScope(db, tenant.id).endpoints.create({
      name: "old",
      url: "https://old.example/",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      headers: {},
      timeoutSeconds: 5,
    });
    const events = Math.ceil(attempts / 100);
    await db.pool.query(
      `INSERT INTO events (id, tenant_id, event_type, data, created_at)
       SELECT 'evt_old_' || i, $1, 'old.x', '{"n": 1}', $2::timestamptz + make_interval(secs => i::float8 / $3 * $4)
       FROM generate_series(0, $3 - 1) AS i`,
      [tenant.id, new Date(today - OLDEST_DAY * DAY_MS + 3600_000), events, ((DAYS - 1) * DAY_MS) / 1000],
    );
    const chunk = 500_000;
    for (let from = 0; from < attempts; from += chunk) {
      const to = Math.min(attempts, from + chunk) - 1;
      await db.pool.query(
        `WITH d AS (
           INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, attempt_count, completed_at, created_at, updated_at)
           SELECT 'msg_old_' || i, $1, e.id, $2, 'succeeded', 1, e.created_at, e.created_at, e.created_at
           FROM generate_series($3::int, $4::int) AS i JOIN events e ON e.id = 'evt_old_' || (i / 100)
           RETURNING id, created_at)
         INSERT INTO attempts (id, delivery_id, delivery_created_at, attempt_number, started_at, duration_ms, status_code, response_body)
         SELECT 'atm_' || substr(id, 5), id, created_at, 1, created_at, 20, 200, 'ok' FROM d`,
        [tenant.id, endpoint.id, from, to],
      );
    }
    await db.pool.query("VACUUM ANALYZE events, deliveries, attempts");
    // The fill's dirty pages written out now, not by a checkpoint during the quiet phase (a first
    // run measured the quiet p99 at 743 ms while the purging one, later, was 224 ms).
    await db.pool.query("CHECKPOINT");
    return { partitions: (await attemptPartitions(db)).length, fillMs: performance.now() - startedAt };
  } finally {
    await db.close();
  }
}

export async function purgeUnderLoad(cluster: BenchCluster, d: Durations, rate: number, attempts: number, dutyPercent: number) {
  const fill = await fillHistory(cluster.settings.databaseUrl, attempts);
  // A phase run and thrown away first: the processes sat idle through the fill, and the first
  // S2 phase after it started with a backlog in four runs of five (its first seconds' p99 0.5–1.6 s,
  // the rest 20–100 ms), even with three times the warm-up. The quiet phase is the second.
  await latency(cluster, d, rate);
  const quiet = await latency(cluster, d, rate);
  const db = connectDatabase({ url: cluster.settings.databaseUrl, encryptionKey: Buffer.alloc(32, 11), poolMax: 2 });
  let dropped: string[] = [];
  let dropMs = 0;
  let purged: PurgeCounts = { deliveries: 0, events: 0, executions: 0, flowExecutions: 0 };
  let purgeMs = 0;
  try {
    const loaded = await latency(cluster, d, rate, async (elapsed) => {
      const droppingAt = performance.now();
      dropped = await dropExpiredAttemptPartitions(db, 30);
      dropMs = performance.now() - droppingAt;
      const purgingAt = performance.now();
      purged = await purgeExpiredHistory(db, { defaultDays: 30, batchSize: 1000, dutyPercent, stopped: () => elapsed() >= d.phaseMs });
      purgeMs = performance.now() - purgingAt;
      const rest = d.phaseMs - elapsed();
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    });
    return { attempts, dutyPercent, fill, quiet, loaded, dropped: dropped.length, dropMs, purged, purgeMs };
  } finally {
    await db.close();
  }
}
