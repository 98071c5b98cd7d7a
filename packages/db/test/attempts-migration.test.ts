import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { TEST_ENCRYPTION_KEY, TEST_SERVER_URL } from "@hookline/testing";
import { connectDatabase, ensureDatabaseExists, MIGRATIONS_DIR, runMigrations } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";

const PARTITIONING = "20261206010000_attempts_partitioned";
const name = `hookline_test_${process.pid}_attmig_${Math.random().toString(16).slice(2, 8)}`;
const url = Object.assign(new URL(TEST_SERVER_URL), { pathname: `/${name}` }).toString();
let earlier: string;

beforeAll(async () => {
  earlier = await mkdtemp(join(tmpdir(), "hookline-migrations-"));
  for (const entry of await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    if (entry.isDirectory() && entry.name < PARTITIONING)
      await cp(join(MIGRATIONS_DIR, entry.name), join(earlier, entry.name), { recursive: true });
});
afterAll(async () => {
  await rm(earlier, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

/** Every attempt's own columns, in id order, as one digest. */
const DIGEST = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', id, delivery_id, attempt_number, started_at, duration_ms,
                  status_code, error_kind, error_message, response_headers, response_body), ',' ORDER BY id)) AS digest FROM attempts`;

describe("partitioning the attempts of an installation that has some", () => {
  it("moves every attempt into the partition of its delivery's day, losing none", async () => {
    await ensureDatabaseExists(url);
    await runMigrations(url, earlier);
    const db = connectDatabase({ url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"), poolMax: 2 });
    let before: { n: number; digest: string };
    try {
      const { deliveryIds } = await endpointWithDeliveries(db, "mig", 400);
      // Deliveries spread over the last 100 days; three attempts each, some with bodies and errors.
      await db.pool.query(
        `UPDATE deliveries SET created_at = now() - make_interval(hours => (hashtext(id) & 2047) + 1) WHERE id = ANY($1)`,
        [deliveryIds],
      );
      await db.pool.query(
        `INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, status_code, error_kind, error_message,
                               response_headers, response_body)
         SELECT 'atm_' || d.id || '_' || n, d.id, n, d.created_at + make_interval(mins => n), 10 * n,
                CASE WHEN n = 3 THEN 200 END, CASE WHEN n < 3 THEN 'connection' END, CASE WHEN n < 3 THEN 'refused ' || n END,
                '{"x": 1}'::jsonb, repeat('b', n * 10)
         FROM deliveries d CROSS JOIN generate_series(1, 3) AS n WHERE d.id = ANY($1)`,
        [deliveryIds],
      );
      before = (await db.pool.query<{ n: number; digest: string }>(DIGEST)).rows[0]!;
      expect(before.n).toBe(1200);
    } finally {
      await db.close();
    }

    const result = await runMigrations(url, MIGRATIONS_DIR);
    expect(result.applied).toContain(PARTITIONING);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(DIGEST)).rows[0]).toEqual(before);
      const { rows: mismatched } = await client.query(
        "SELECT count(*)::int AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.delivery_created_at <> d.created_at",
      );
      expect(mismatched[0]).toEqual({ n: 0 });
      // Older days in the partition for the time before the migration, today's in today's.
      const { rows: where } = await client.query<{ partition: string; n: number }>(
        `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM attempts GROUP BY 1 ORDER BY 1`,
      );
      expect(where.every((r) => r.partition.startsWith("attempts_before_") || r.partition.startsWith("attempts_p"))).toBe(true);
      expect(where.reduce((sum, r) => sum + r.n, 0)).toBe(1200);
      expect(where.find((r) => r.partition.startsWith("attempts_before_"))?.n).toBeGreaterThan(1000);
      const { rows: relkind } = await client.query("SELECT relkind FROM pg_class WHERE relname = 'attempts'");
      expect(relkind[0]).toEqual({ relkind: "p" });
    } finally {
      await client.end();
    }
  });
});
