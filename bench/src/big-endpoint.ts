/*
 * An endpoint with millions of deliveries (10 million by default; `node --conditions=hookline-source
 * --import tsx bench/src/big-endpoint.ts 1000000` for fewer): how long a resume, a recovery and a
 * deletion take to answer, and how long their background halves take to finish. It calls what the
 * routes call (the tenant's repositories), in a database of its own that it drops at the end.
 * Enqueueing is left out (the released batches are counted, not sent to Redis): the figures are
 * Postgres's side. `… big-endpoint.ts 10000000 requests` times only the three requests, on the
 * held deliveries, and skips the background halves (which take most of an hour at ten million).
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import {
  connectDatabase,
  createTenant,
  ensureDatabaseExists,
  MIGRATIONS_DIR,
  purgeDeletedEndpoints,
  runMigrations,
  tenantScope,
} from "@hookline/db";

const rows = Number(process.argv[2] ?? 10_000_000);
const requestsOnly = process.argv[3] === "requests";
const server = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const url = Object.assign(new URL(server), { pathname: `/hookline_big_${process.pid}` }).toString();

const seconds = (ms: number) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(1)} s`);
async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  const result = await work();
  process.stdout.write(`${what}: ${seconds(performance.now() - startedAt)}\n`);
  return result;
}

await ensureDatabaseExists(url);
await runMigrations(url, MIGRATIONS_DIR);
const db = connectDatabase({ url, encryptionKey: Buffer.alloc(32, 7), poolMax: 4 });
try {
  const { tenant } = await createTenant(db, { name: "big" });
  const scope = tenantScope(db, tenant.id);
  const endpoint = await scope.endpoints.create({
    name: "big",
    url: "https://big.example/",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    headers: {},
    timeoutSeconds: 5,
    status: "PAUSED",
  });
  await timed(`inserting ${rows.toLocaleString("en")} held deliveries (of 1,000 events)`, async () => {
    await db.pool.query(
      `INSERT INTO events (id, tenant_id, event_type, data) SELECT 'evt_big_' || i, $1, 'big.x', '{}' FROM generate_series(1, 1000) AS i`,
      [tenant.id],
    );
    const chunk = 1_000_000;
    for (let from = 1; from <= rows; from += chunk) {
      await db.pool.query(
        `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, updated_at)
         SELECT 'msg_big_' || i, $1, 'evt_big_' || (i % 1000 + 1), $2, 'held', now() FROM generate_series($3::int, $4::int) AS i`,
        [tenant.id, endpoint.id, from, Math.min(rows, from + chunk - 1)],
      );
    }
    await db.pool.query("ANALYZE deliveries");
  });

  if (requestsOnly) {
    // Each request on the full table, its background half never run: a recovery finds held
    // deliveries (none failed), which does not change what its request does.
    await timed("resume: the request (PATCH status ACTIVE)", () => scope.endpoints.update(endpoint.id, { status: "ACTIVE" }));
    await timed("recover: the request (POST …/recover)", () => scope.deliveries.startRecovery(endpoint.id, new Date(0)));
    await timed("delete: the request (DELETE …)", () => scope.endpoints.delete(endpoint.id));
    process.exit(await finish());
  }
  const updated = await timed("resume: the request (PATCH status ACTIVE)", () => scope.endpoints.update(endpoint.id, { status: "ACTIVE" }));
  if (typeof updated === "string" || !updated.resumed) throw new Error("not resumed");
  let released = 0;
  await timed("resume: releasing every held delivery in the background", () =>
    scope.endpoints.releaseHeld(endpoint.id, async (ids) => {
      released += ids.length;
    }),
  );
  process.stdout.write(`  released ${released.toLocaleString("en")}\n`);

  // Failures pile up over days in a real installation; one mass update leaves dead rows behind,
  // which a vacuum clears as autovacuum would have.
  await timed("marking them all failed (setup)", async () => {
    await db.pool.query("UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = $1", [endpoint.id]);
    await db.pool.query("VACUUM ANALYZE deliveries");
  });
  const recovery = await timed("recover: the request (POST …/recover)", () => scope.deliveries.startRecovery(endpoint.id, new Date(0)));
  if (!recovery) throw new Error("no recovery");
  const done = await timed("recover: the recovery in the background", () => scope.deliveries.runRecovery(recovery, async () => undefined));
  process.stdout.write(`  recovered ${done.recovered.toLocaleString("en")}\n`);

  await timed("delete: the request (DELETE …)", () => scope.endpoints.delete(endpoint.id));
  await timed("delete: its deliveries and the row, in the background", () => purgeDeletedEndpoints(db, { limit: 1 }));
  const left = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM deliveries");
  process.stdout.write(`  deliveries left: ${left.rows[0]?.n}\n`);
} finally {
  await finish();
}

async function finish(): Promise<number> {
  await db.close();
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "hookline_big_${process.pid}" WITH (FORCE)`);
  await admin.end();
  return 0;
}
