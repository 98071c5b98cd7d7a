export {
  loadConfig,
  loadConfigOrExit,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  DEFAULT_RETRY_SCHEDULE,
  type Config,
  type LogLevel,
} from "./config.js";
export { ConfigError, EnvReader, type Env } from "./env-parsers.js";
export type { OtlpProtocol, TracesSampler, TracingConfig } from "./tracing.js";
