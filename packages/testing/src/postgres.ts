import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { MIGRATIONS_DIR, readMigrations, runMigrations } from "@hookline/db";

/**
 * Each test file gets its own database, copied from a template that holds the migrated schema.
 * Copying a template takes a fraction of a second, so files run in parallel without sharing rows,
 * and migrations run once per schema change rather than once per file.
 */

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TEST_DB_PREFIX = "hookline_test_";
const TEMPLATE_PREFIX = "hookline_tpl_";
/** Templates of other schemas kept besides the current one (newest first). */
const KEPT_OTHER_TEMPLATES = 2;

function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function templateName(): Promise<string> {
  const migrations = await readMigrations(MIGRATIONS_DIR);
  const hash = createHash("sha256");
  for (const m of migrations) hash.update(`${m.name}:${m.checksum}\n`);
  return `${TEMPLATE_PREFIX}${hash.digest("hex").slice(0, 16)}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Run once before a test run: build the template if the migrations changed, drop leftovers. */
export async function prepareTestTemplate(): Promise<string> {
  const template = await templateName();
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'hookline\\_test\\_%' OR datname LIKE 'hookline\\_tpl\\_%' ORDER BY oid DESC`,
    );
    // Other templates are other schemas' (an older commit, or another checkout testing at the same
    // time on this server): the newest few are kept, so two checkouts never drop each other's.
    const otherTemplates = rows.filter((r) => r.datname.startsWith(TEMPLATE_PREFIX) && r.datname !== template).map((r) => r.datname);
    const keptTemplates = new Set(otherTemplates.slice(0, KEPT_OTHER_TEMPLATES));
    for (const { datname } of rows) {
      const pid = Number(/^hookline_test_(\d+)_/.exec(datname)?.[1]);
      const stale = datname.startsWith(TEST_DB_PREFIX) ? !processAlive(pid) : datname !== template && !keptTemplates.has(datname);
      if (stale) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    if (rows.some((r) => r.datname === template)) return;
    // Build under a temporary name, so a run that dies half-way never leaves a half-built template.
    const building = `${template}_${process.pid}`;
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(building)}`);
    await runMigrations(urlFor(building), MIGRATIONS_DIR);
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(building)} RENAME TO ${pg.escapeIdentifier(template)}`);
  });
  return template;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await templateName();
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(5).toString("hex")}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
        return;
      } catch (error) {
        // Two files copying the template at the same instant can collide; the copy is quick, so retry.
        const code = (error as { code?: string }).code;
        if (code !== "55006" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  });
  return {
    name,
    url: urlFor(name),
    drop: () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`))),
  };
}

/** Rows of one query on a database of a test's own, for checking what the processes under test wrote. */
export async function queryRows<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
