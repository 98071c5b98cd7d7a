import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { createLogOutput, type LogOutput } from "./log-output.js";

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
  "secrets",
  "*.secrets",
  "clientSecret",
  "*.clientSecret",
  "client_secret",
  "*.client_secret",
  "access_token",
  "*.access_token",
  "*.api_key",
  "body",
  "data",
  "*.body",
  "*.data",
];

/** `destination` defaults to stdout; tests pass a stream to read what would have been logged. */
export function createLogger(options: { level: string; name: string; destination?: DestinationStream }): Logger {
  const loggerOptions: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACT, censor: "[redacted]" },
    base: { pid: process.pid, service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(loggerOptions, options.destination ?? standardOutput());
}

let stdout: LogOutput | undefined;

/**
 * Standard output for every logger of the process: one buffer, one exit flush, one count of the
 * lines it had to drop (`hookline_log_lines_dropped_total`).
 */
export function standardOutput(): LogOutput {
  stdout ??= createLogOutput({ fd: 1 });
  return stdout;
}
