export { loadConfig, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, type Config, type LogLevel } from "./config.js";
export { ConfigError, EnvReader, type Env } from "./env-parsers.js";
