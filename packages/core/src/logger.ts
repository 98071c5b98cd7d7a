import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Paths that must never reach a log line even if a caller passes a whole object by mistake:
 * credentials, signing secrets and event bodies.
 */
const REDACT = [
  "req.headers.authorization",
  "headers.authorization",
  "authorization",
  "api_key",
  "apiKey",
  "secret",
  "*.secret",
  "*.api_key",
  "body",
  "data",
  "*.body",
  "*.data",
];

export function createLogger(options: { level: string; name: string }): Logger {
  const loggerOptions: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACT, censor: "[redacted]" },
    base: { pid: process.pid, service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(loggerOptions);
}
