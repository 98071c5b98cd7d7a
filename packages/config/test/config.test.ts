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
      redis: { mode: "single", url: DEFAULT_REDIS_URL },
      logLevel: "info",
      startupTimeoutMs: 30_000,
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
      STARTUP_TIMEOUT_SECONDS: "5",
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
      redis: { mode: "single", url: "rediss://cache:6380/2" },
      logLevel: "debug",
      startupTimeoutMs: 5_000,
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
      dutyPercent: 10,
      partitionsAheadDays: 7,
    });
    const config = loadConfig({
      ENCRYPTION_KEY: KEY,
      RETENTION_DAYS: "90",
      RETENTION_INTERVAL_SECONDS: "60",
      RETENTION_BATCH_SIZE: "500",
      RETENTION_DUTY_PERCENT: "100",
      PARTITIONS_AHEAD_DAYS: "3",
    });
    expect(config.retention).toEqual({ defaultDays: 90, intervalMs: 60_000, batchSize: 500, dutyPercent: 100, partitionsAheadDays: 3 });
    expect(() => loadConfig({ ENCRYPTION_KEY: KEY, RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS/);
    expect(() => loadConfig({ ENCRYPTION_KEY: KEY, RETENTION_DUTY_PERCENT: "0" })).toThrow(/RETENTION_DUTY_PERCENT/);
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

  it("reads a Redis Cluster's nodes and makes the queue prefix a hash tag there only", () => {
    const config = loadConfig({
      ENCRYPTION_KEY: KEY,
      REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b:7001,[fd00::3]:7002",
      REDIS_URL: "rediss://app:s3cret@ignored:6379",
      QUEUE_PREFIX: "hl",
    });
    expect(config.redis).toEqual({
      mode: "cluster",
      url: "rediss://app:s3cret@ignored:6379",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-b", port: 7001 },
        { host: "fd00::3", port: 7002 },
      ],
    });
    expect(config.queuePrefix).toBe("{hl}");
    // The default prefix too; one that holds a hash tag already is kept as written.
    expect(loadConfig({ ENCRYPTION_KEY: KEY, REDIS_CLUSTER_NODES: "a:1" }).queuePrefix).toBe("{hookline}");
    expect(loadConfig({ ENCRYPTION_KEY: KEY, REDIS_CLUSTER_NODES: "a:1", QUEUE_PREFIX: "hl:{eu}" }).queuePrefix).toBe("hl:{eu}");
    // An empty tag is no tag for Redis (the whole key is hashed), so it is wrapped.
    expect(loadConfig({ ENCRYPTION_KEY: KEY, REDIS_CLUSTER_NODES: "a:1", QUEUE_PREFIX: "hl{}" }).queuePrefix).toBe("{hl{}}");
  });

  it("reads the sentinels of a primary, keeping the queue prefix as written", () => {
    const config = loadConfig({ ENCRYPTION_KEY: KEY, REDIS_SENTINELS: "s1:26379,s2:26380", QUEUE_PREFIX: "hl" });
    expect(config.redis).toEqual({
      mode: "sentinel",
      url: DEFAULT_REDIS_URL,
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26380 },
      ],
      name: "mymaster",
    });
    expect(config.queuePrefix).toBe("hl");
    expect(loadConfig({ ENCRYPTION_KEY: KEY, REDIS_SENTINELS: "s1:26379", REDIS_SENTINEL_NAME: "queue" }).redis).toMatchObject({
      name: "queue",
    });
  });

  it("refuses malformed Redis nodes, two topologies at once, and a database on a cluster", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ENCRYPTION_KEY: KEY, ...env });
        return "";
      } catch (error) {
        return (error as ConfigError).problems.join("\n");
      }
    };
    expect(problems({ REDIS_CLUSTER_NODES: "a:1,b" })).toMatch(
      /REDIS_CLUSTER_NODES must be a comma-separated list of host:port \(got "b"\)/,
    );
    expect(problems({ REDIS_SENTINELS: "s:99999" })).toMatch(/REDIS_SENTINELS must be .* \(got "s:99999"\)/);
    expect(problems({ REDIS_CLUSTER_NODES: "a:1", REDIS_SENTINELS: "s:2" })).toMatch(/cannot both be set/);
    expect(problems({ REDIS_CLUSTER_NODES: "a:1", REDIS_URL: "redis://x:6379/3" })).toMatch(/REDIS_URL must not name a database/);
    expect(problems({ REDIS_CLUSTER_NODES: "a:1", REDIS_URL: "redis://x:6379/0" })).toBe("");
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

  describe("tracing (OTEL_*)", () => {
    const tracing = (env: Record<string, string>) => loadConfig({ ENCRYPTION_KEY: KEY, ...env }).tracing;
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ENCRYPTION_KEY: KEY, ...env });
        return "";
      } catch (error) {
        return (error as ConfigError).problems.join("\n");
      }
    };

    it("is off unless a variable asks for it, with the specification's defaults", () => {
      expect(tracing({})).toEqual({
        enabled: false,
        serviceName: undefined,
        resourceAttributes: {},
        endpoint: "http://localhost:4318/v1/traces",
        protocol: "http/protobuf",
        headers: {},
        exportTimeoutMs: 10_000,
        sampler: "parentbased_always_on",
        samplerRatio: 1,
        batch: { scheduleDelayMs: 5_000, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMs: 30_000 },
      });
      expect(tracing({ OTEL_SERVICE_NAME: "api", OTEL_TRACES_SAMPLER: "always_on" }).enabled).toBe(false);
    });

    it("is on when an endpoint or the otlp exporter is named, or OTEL_SDK_DISABLED=false is said", () => {
      expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).enabled).toBe(true);
      expect(tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }).enabled).toBe(true);
      expect(tracing({ OTEL_TRACES_EXPORTER: "otlp" }).enabled).toBe(true);
      expect(tracing({ OTEL_SDK_DISABLED: "false" }).enabled).toBe(true);
    });

    it("stays off when told so, whatever else is set", () => {
      expect(tracing({ OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).enabled).toBe(false);
      expect(tracing({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).enabled).toBe(false);
    });

    it("reads the exporter, resource, sampler and batch variables", () => {
      expect(
        tracing({
          OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector.example:4318/",
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=abc%3D%3D, team=hooks",
          OTEL_EXPORTER_OTLP_TIMEOUT: "2500",
          OTEL_RESOURCE_ATTRIBUTES: "service.name=from-resource,deployment.environment.name=staging",
          OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
          OTEL_TRACES_SAMPLER_ARG: "0.25",
          OTEL_BSP_SCHEDULE_DELAY: "100",
          OTEL_BSP_MAX_QUEUE_SIZE: "100",
          OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "50",
          OTEL_BSP_EXPORT_TIMEOUT: "1000",
        }),
      ).toEqual({
        enabled: true,
        serviceName: "from-resource",
        resourceAttributes: { "service.name": "from-resource", "deployment.environment.name": "staging" },
        endpoint: "https://collector.example:4318/v1/traces",
        protocol: "http/json",
        headers: { "x-api-key": "abc==", team: "hooks" },
        exportTimeoutMs: 2_500,
        sampler: "parentbased_traceidratio",
        samplerRatio: 0.25,
        batch: { scheduleDelayMs: 100, maxQueueSize: 100, maxExportBatchSize: 50, exportTimeoutMs: 1_000 },
      });
    });

    it("prefers the traces-only variables, and OTEL_SERVICE_NAME to the resource's name", () => {
      expect(
        tracing({
          OTEL_SERVICE_NAME: "hooks-api",
          OTEL_RESOURCE_ATTRIBUTES: "service.name=other",
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://general:4318",
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:4318/custom/path",
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf",
          OTEL_EXPORTER_OTLP_HEADERS: "a=1",
          OTEL_EXPORTER_OTLP_TRACES_HEADERS: "b=2",
          OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
          OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "2000",
        }),
      ).toMatchObject({
        serviceName: "hooks-api",
        endpoint: "http://traces:4318/custom/path",
        protocol: "http/protobuf",
        headers: { b: "2" },
        exportTimeoutMs: 2_000,
      });
    });

    it("refuses bad values, naming the variable but never a header's text", () => {
      const found = problems({
        OTEL_TRACES_EXPORTER: "jaeger",
        OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_EXPORTER_OTLP_HEADERS: "authorization",
        OTEL_TRACES_SAMPLER: "sometimes",
        OTEL_SDK_DISABLED: "maybe",
        OTEL_BSP_MAX_QUEUE_SIZE: "10",
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "20",
      });
      for (const name of [
        "OTEL_TRACES_EXPORTER",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
        "OTEL_EXPORTER_OTLP_HEADERS",
        "OTEL_TRACES_SAMPLER",
        "OTEL_SDK_DISABLED",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      ])
        expect(found).toContain(name);
      expect(found).not.toContain('"authorization"');
      expect(problems({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" })).toContain("OTEL_TRACES_SAMPLER_ARG");
    });
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
