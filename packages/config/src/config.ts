import { ConfigError, EnvReader, type Env } from "./env-parsers.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface Config {
  readonly env: "development" | "production" | "test";
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** Bearer token for the admin routes (creating tenants). Unset: the admin routes answer 401. */
    readonly adminToken: string | undefined;
    /** Largest request body accepted, in bytes; larger bodies get 413. */
    readonly maxBodyBytes: number;
  };
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Prefix of every BullMQ key, so that several installations (or test files) share one Redis. */
  readonly queuePrefix: string;
  readonly logLevel: LogLevel;
}

export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/hookline";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Reads and validates the whole configuration at once; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);
  const config: Config = {
    env: read.oneOf("NODE_ENV", "development", ["development", "production", "test"] as const),
    api: {
      host: read.string("HOST", "0.0.0.0"),
      port: read.int("PORT", 3000, { min: 0, max: 65535 }),
      adminToken: read.optionalString("ADMIN_TOKEN", { minLength: 16 }),
      maxBodyBytes: read.int("MAX_BODY_BYTES", 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    },
    databaseUrl: read.url("DATABASE_URL", DEFAULT_DATABASE_URL, ["postgres:", "postgresql:"]),
    redisUrl: read.url("REDIS_URL", DEFAULT_REDIS_URL, ["redis:", "rediss:"]),
    queuePrefix: read.string("QUEUE_PREFIX", "hookline"),
    logLevel: read.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
