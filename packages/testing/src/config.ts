import { loadConfig, type Config } from "@hookline/config";
import { TEST_REDIS_URL } from "./redis.js";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

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
    ...overrides.env,
  });
}
