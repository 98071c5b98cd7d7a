import { loadConfig, type Config } from "@hookline/config";
import { TEST_REDIS_URL } from "./redis.js";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";
/** Fixed, so that every process of a test (API, spawned workers) opens the same secrets. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

/**
 * What every test process runs with unless a test says otherwise: test receivers live on
 * loopback, which the SSRF guard refuses by default; the API's rate limit is far above what the
 * suite sends; and the one encryption key.
 */
export const TEST_PROCESS_ENV: Readonly<Record<string, string>> = {
  ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  ALLOW_PRIVATE_TARGETS: "127.0.0.0/8,::1/128",
  RATE_LIMIT_PER_SECOND: "100000",
};

/** A configuration for one test file: its own database and queue prefix, an API on port 0. */
export function testConfig(overrides: { databaseUrl: string; queuePrefix: string; env?: Record<string, string> }): Config {
  return loadConfig({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: overrides.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: overrides.queuePrefix,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...TEST_PROCESS_ENV,
    ...overrides.env,
  });
}
