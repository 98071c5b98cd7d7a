export {
  loadConfig,
  loadConfigOrExit,
  migrationsDatabaseUrl,
  DEFAULT_DATABASE_URL,
  DEFAULT_RETRY_SCHEDULE,
  type Config,
  type DatabasePooler,
  type LogLevel,
} from "./config.js";
export { ConfigError, EnvReader, type Env } from "./env-parsers.js";
export { DEFAULT_REDIS_URL, DEFAULT_SENTINEL_NAME, type RedisNode, type RedisSettings } from "./redis.js";
export type { OtlpProtocol, TracesSampler, TracingConfig } from "./tracing.js";
