import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, loadConfig, loadConfigOrExit, migrationsDatabaseUrl } from "../src/index.js";

const KEY = Buffer.alloc(32, 1).toString("base64");

describe("loadConfig", () => {
  it("has working defaults for a local machine", () => {
    const config = loadConfig({ ENCRYPTION_KEY: KEY });
    expect(config.delivery.allowPrivateTargets).toEqual([]);
    expect(config.api.rateLimitPerSecond).toBe(500);
    expect(config.delivery.gate).toMatchObject({ failingAfter: 3, probeSpacingMs: 500 });
    expect(config).toMatchObject({
      env: "development",
      api: { port: 3000, adminToken: undefined, maxBodyBytes: 1_048_576 },
      databaseUrl: DEFAULT_DATABASE_URL,
      databasePooler: "none",
      databaseDirectUrl: undefined,
      redisUrl: DEFAULT_REDIS_URL,
      logLevel: "info",
      queuePrefix: "hookline",
    });
  });

  it("reads every documented variable", () => {
    const config = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgresql://u:p@db:5432/hooks",
      DATABASE_POOLER: "transaction",
      DATABASE_DIRECT_URL: "postgres://u:p@db-primary:5432/hooks",
      REDIS_URL: "rediss://cache:6380/2",
      ADMIN_TOKEN: "a-long-enough-admin-token",
      LOG_LEVEL: "debug",
      MAX_BODY_BYTES: "2048",
      QUEUE_PREFIX: "hl",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      ENCRYPTION_KEY: "ab".repeat(32),
      ALLOW_PRIVATE_TARGETS: "10.0.0.0/8, 127.0.0.1,fd00::/8",
      RATE_LIMIT_PER_SECOND: "0",
      FAILING_ENDPOINT_AFTER: "5",
      FAILING_ENDPOINT_PROBE_SECONDS: "2.5",
    });
    expect(config.encryptionKey).toEqual(Buffer.alloc(32, 0xab));
    expect(config.delivery.gate).toMatchObject({ failingAfter: 5, probeSpacingMs: 2_500 });
    expect(config.delivery.allowPrivateTargets).toEqual(["10.0.0.0/8", "127.0.0.1", "fd00::/8"]);
    expect(config.api.rateLimitPerSecond).toBe(0);
    expect(config).toMatchObject({
      env: "production",
      api: { host: "127.0.0.1", port: 8080, adminToken: "a-long-enough-admin-token", maxBodyBytes: 2048 },
      databaseUrl: "postgresql://u:p@db:5432/hooks",
      databasePooler: "transaction",
      databaseDirectUrl: "postgres://u:p@db-primary:5432/hooks",
      redisUrl: "rediss://cache:6380/2",
      logLevel: "debug",
      queuePrefix: "hl",
    });
  });

  it("reports every bad value at once, naming each variable", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        DATABASE_POOLER: "statement",
        DATABASE_DIRECT_URL: "http://db",
        REDIS_URL: "not a url",
        LOG_LEVEL: "loud",
        ADMIN_TOKEN: "short",
        FAILING_ENDPOINT_AFTER: "0",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of [
      "PORT",
      "DATABASE_URL",
      "DATABASE_POOLER",
      "DATABASE_DIRECT_URL",
      "REDIS_URL",
      "LOG_LEVEL",
      "ADMIN_TOKEN",
      "FAILING_ENDPOINT_AFTER",
    ])
      expect(problems).toContain(name);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:/);
  });

  it("keeps 30 days of history by default, and reads the retention settings", () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).retention).toEqual({
      defaultDays: 30,
      intervalMs: 300_000,
      batchSize: 1000,
      partitionsAheadDays: 7,
    });
    const config = loadConfig({
      ENCRYPTION_KEY: KEY,
      RETENTION_DAYS: "90",
      RETENTION_INTERVAL_SECONDS: "60",
      RETENTION_BATCH_SIZE: "500",
      PARTITIONS_AHEAD_DAYS: "3",
    });
    expect(config.retention).toEqual({ defaultDays: 90, intervalMs: 60_000, batchSize: 500, partitionsAheadDays: 3 });
    expect(() => loadConfig({ ENCRYPTION_KEY: KEY, RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS/);
  });

  it("requires an encryption key in production and refuses malformed keys and targets", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return "";
      } catch (error) {
        return (error as ConfigError).problems.join("\n");
      }
    };
    expect(problems({ NODE_ENV: "production" })).toMatch(/ENCRYPTION_KEY is required when NODE_ENV=production/);
    expect(problems({ ENCRYPTION_KEY: "c2hvcnQ=" })).toMatch(/ENCRYPTION_KEY must be 32 bytes/);
    expect(problems({ ENCRYPTION_KEY: KEY, ALLOW_PRIVATE_TARGETS: "10.0.0.0/33,intranet" })).toMatch(/not: 10.0.0.0\/33, intranet/);
  });

  it("generates one development key, kept in a file that later processes reuse", () => {
    const dir = mkdtempSync(join(tmpdir(), "hookline-config-"));
    const file = join(dir, "nested", "key");
    const write = process.stderr.write;
    const warnings: string[] = [];
    process.stderr.write = ((chunk: string) => warnings.push(chunk) > 0) as typeof process.stderr.write;
    try {
      const first = loadConfigOrExit("one", { HOOKLINE_DEV_KEY_FILE: file });
      const second = loadConfigOrExit("two", { HOOKLINE_DEV_KEY_FILE: file });
      expect(first.encryptionKey).toHaveLength(32);
      expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
      expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first.encryptionKey)).toBe(true);
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(warnings.join("")).toMatch(/ENCRYPTION_KEY is not set; using the development key/);
    } finally {
      process.stderr.write = write;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("migrationsDatabaseUrl", () => {
  const config = (env: Record<string, string>) =>
    loadConfig({ ENCRYPTION_KEY: KEY, DATABASE_URL: "postgresql://pooler:6432/hooks", ...env });

  it("migrates through DATABASE_URL unless a direct URL is given", () => {
    expect(migrationsDatabaseUrl(config({}))).toBe("postgresql://pooler:6432/hooks");
    expect(migrationsDatabaseUrl(config({ DATABASE_DIRECT_URL: "postgresql://db:5432/hooks" }))).toBe("postgresql://db:5432/hooks");
    expect(migrationsDatabaseUrl(config({ DATABASE_POOLER: "transaction", DATABASE_DIRECT_URL: "postgresql://db:5432/hooks" }))).toBe(
      "postgresql://db:5432/hooks",
    );
  });

  it("refuses to migrate through a transaction pooler, naming the variable to set", () => {
    expect(() => migrationsDatabaseUrl(config({ DATABASE_POOLER: "transaction" }))).toThrow(/DATABASE_DIRECT_URL/);
  });
});
