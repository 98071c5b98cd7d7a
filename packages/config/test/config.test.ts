import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, loadConfig } from "../src/index.js";

describe("loadConfig", () => {
  it("has working defaults for a local machine", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: "development",
      api: { port: 3000, adminToken: undefined, maxBodyBytes: 1_048_576 },
      databaseUrl: DEFAULT_DATABASE_URL,
      redisUrl: DEFAULT_REDIS_URL,
      logLevel: "info",
      queuePrefix: "hookline",
    });
  });

  it("reads every documented variable", () => {
    const config = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgresql://u:p@db:5432/hooks",
      REDIS_URL: "rediss://cache:6380/2",
      ADMIN_TOKEN: "a-long-enough-admin-token",
      LOG_LEVEL: "debug",
      MAX_BODY_BYTES: "2048",
      QUEUE_PREFIX: "hl",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
    });
    expect(config).toMatchObject({
      env: "production",
      api: { host: "127.0.0.1", port: 8080, adminToken: "a-long-enough-admin-token", maxBodyBytes: 2048 },
      databaseUrl: "postgresql://u:p@db:5432/hooks",
      redisUrl: "rediss://cache:6380/2",
      logLevel: "debug",
      queuePrefix: "hl",
    });
  });

  it("reports every bad value at once, naming each variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", REDIS_URL: "not a url", LOG_LEVEL: "loud", ADMIN_TOKEN: "short" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of ["PORT", "DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "ADMIN_TOKEN"]) expect(problems).toContain(name);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:/);
  });
});
