// Applies pending SQL migrations to Postgres, creating the database on first run: DATABASE_DIRECT_URL
// when set, else DATABASE_URL (required behind a transaction pooler: see migrationsDatabaseUrl).
// Uses the built packages, so run it after `npm run build` (npm start does both).
import { ConfigError, loadConfig, migrationsDatabaseUrl } from "@hookline/config";
import { ensureStartable } from "@hookline/core";
import { ensureDatabaseExists, MIGRATIONS_DIR, postgresDependency, runMigrations } from "@hookline/db";

try {
  // Migrations never read a secret, so they need no ENCRYPTION_KEY; a placeholder satisfies the
  // rest of the configuration, which is still validated as a whole.
  const config = loadConfig({ ...process.env, ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || Buffer.alloc(32).toString("base64") });
  const url = migrationsDatabaseUrl(config);
  // Postgres answers within STARTUP_TIMEOUT_SECONDS, or this says so in one line and exits 80.
  await ensureStartable("migrate", undefined, [postgresDependency(url, { databaseMayBeMissing: true })], config.startupTimeoutMs);
  const created = await ensureDatabaseExists(url);
  if (created) process.stdout.write("migrate: created the database\n");
  const result = await runMigrations(url, MIGRATIONS_DIR);
  const applied = result.applied.length ? result.applied.join(", ") : "none";
  process.stdout.write(`migrate: ${result.alreadyApplied} already applied; applied now: ${applied}\n`);
} catch (error) {
  process.stderr.write(`migrate: ${error instanceof ConfigError ? error.message : (error?.message ?? error)}\n`);
  process.exit(1);
}
