import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { TEST_SERVER_URL } from "@hookline/testing";
import { ensureDatabaseExists, MIGRATIONS_DIR, MigrationError, readMigrations, runMigrations } from "../src/index.js";

/** Each case migrates a database of its own, created empty (not from the test template). */
const created: string[] = [];
function freshDatabaseUrl(): string {
  const name = `hookline_test_${process.pid}_mig${created.length}_${Math.random().toString(16).slice(2, 8)}`;
  created.push(name);
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe("the migrator", () => {
  it("creates the database on first start and applies every migration, recording them as Prisma does", async () => {
    const url = freshDatabaseUrl();
    expect(await ensureDatabaseExists(url)).toBe(true);
    expect(await ensureDatabaseExists(url)).toBe(false);
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const first = await runMigrations(url, MIGRATIONS_DIR);
    expect(first.applied).toEqual(migrations.map((m) => m.name));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    for (const [i, migration] of migrations.entries()) {
      const sql = await readFile(join(MIGRATIONS_DIR, migration.name, "migration.sql"));
      expect(rows[i]).toMatchObject({
        migration_name: migration.name,
        checksum: createHash("sha256").update(sql).digest("hex"),
        finished_at: expect.any(Date),
        applied_steps_count: 1,
      });
    }
  });

  it("applies nothing the second time", async () => {
    const url = freshDatabaseUrl();
    await ensureDatabaseExists(url);
    await runMigrations(url, MIGRATIONS_DIR);
    const again = await runMigrations(url, MIGRATIONS_DIR);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
  });

  it("lets several processes start at once: each migration is applied exactly once", async () => {
    const url = freshDatabaseUrl();
    await ensureDatabaseExists(url);
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(url, MIGRATIONS_DIR)));
    const applied = results.flatMap((r) => r.applied);
    expect(applied.length).toBe((await readMigrations(MIGRATIONS_DIR)).length);
    expect(new Set(applied).size).toBe(applied.length);
  });

  describe("with a migrations folder of its own", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "hookline-migrations-"));
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it("refuses to run when an applied migration was edited", async () => {
      const url = freshDatabaseUrl();
      await ensureDatabaseExists(url);
      await runMigrations(url, dir);
      const [first] = await readMigrations(dir);
      await writeFile(join(dir, String(first?.name), "migration.sql"), `${first?.sql}\n-- edited\n`);
      await expect(runMigrations(url, dir)).rejects.toThrow(MigrationError);
    });

    it("rolls a failing migration back whole, so it can be fixed and run again", async () => {
      const url = freshDatabaseUrl();
      await ensureDatabaseExists(url);
      await runMigrations(url, dir);
      await mkdir(join(dir, "29990101000000_broken"));
      await writeFile(
        join(dir, "29990101000000_broken", "migration.sql"),
        `CREATE TABLE "half" (id int);\nSELECT nonsense FROM nowhere;\n`,
      );
      await expect(runMigrations(url, dir)).rejects.toThrow(/29990101000000_broken failed/);
      expect(await query(url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
      expect(await query(url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`)).toEqual([]);
      await writeFile(join(dir, "29990101000000_broken", "migration.sql"), `CREATE TABLE "half" (id int);\n`);
      expect((await runMigrations(url, dir)).applied).toEqual(["29990101000000_broken"]);
    });
  });
});
