import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { TEST_SERVER_URL } from "@hookline/testing";
import { ensureDatabaseExists, MIGRATIONS_DIR, runMigrations } from "../src/index.js";

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
    // Raw SQL: the generated client knows the latest schema, not this earlier one.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let before: { n: number; digest: string };
    try {
      await client.query(`INSERT INTO tenants (id, name, updated_at) VALUES ('ten_m', 'm', now())`);
      await client.query(
        `INSERT INTO endpoints (id, tenant_id, name, url, secret, updated_at) VALUES ('ep_m', 'ten_m', 'e', 'https://m.example/', 's', now())`,
      );
      // 400 deliveries spread over the last 100 days; three attempts each, some with bodies and errors.
      await client.query(
        `INSERT INTO events (id, tenant_id, event_type, data, created_at)
         SELECT 'evt_' || i, 'ten_m', 'm.x', '{}', now() - make_interval(hours => (hashtext(i::text) & 2047) + 1)
         FROM generate_series(1, 400) AS i`,
      );
      await client.query(
        `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, created_at, updated_at)
         SELECT 'msg_' || substr(id, 5), 'ten_m', id, 'ep_m', 'succeeded', created_at, now() FROM events`,
      );
      await client.query(
        `INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, status_code, error_kind, error_message,
                               response_headers, response_body)
         SELECT 'atm_' || d.id || '_' || n, d.id, n, d.created_at + make_interval(mins => n), 10 * n,
                CASE WHEN n = 3 THEN 200 END, CASE WHEN n < 3 THEN 'connection' END, CASE WHEN n < 3 THEN 'refused ' || n END,
                '{"x": 1}'::jsonb, repeat('b', n * 10)
         FROM deliveries d CROSS JOIN generate_series(1, 3) AS n`,
      );
      before = (await client.query<{ n: number; digest: string }>(DIGEST)).rows[0]!;
      expect(before.n).toBe(1200);
    } finally {
      await client.end();
    }

    const result = await runMigrations(url, MIGRATIONS_DIR);
    expect(result.applied).toContain(PARTITIONING);

    const after = new pg.Client({ connectionString: url });
    await after.connect();
    try {
      expect((await after.query(DIGEST)).rows[0]).toEqual(before);
      const { rows: mismatched } = await after.query(
        "SELECT count(*)::int AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.delivery_created_at <> d.created_at",
      );
      expect(mismatched[0]).toEqual({ n: 0 });
      // Older days in the partition for the time before the migration, today's in today's.
      const { rows: where } = await after.query<{ partition: string; n: number }>(
        `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM attempts GROUP BY 1 ORDER BY 1`,
      );
      expect(where.every((r) => r.partition.startsWith("attempts_before_") || r.partition.startsWith("attempts_p"))).toBe(true);
      expect(where.reduce((sum, r) => sum + r.n, 0)).toBe(1200);
      expect(where.find((r) => r.partition.startsWith("attempts_before_"))?.n).toBeGreaterThan(1000);
      const { rows: relkind } = await after.query("SELECT relkind FROM pg_class WHERE relname = 'attempts'");
      expect(relkind[0]).toEqual({ relkind: "p" });
    } finally {
      await after.end();
    }
  });
});
