import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

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

/** Lines are written out once this many bytes have gathered, or every `FLUSH_EVERY_MS`. */
const BUFFER_BYTES = 4096;
const FLUSH_EVERY_MS = 100;

/**
 * Standard output, written in blocks rather than a write per line. Each write is a system call,
 * and on a loaded machine one per request or attempt was a tenth of the API's and the worker's
 * CPU (docs/PERFORMANCE.md). A line waits at most `FLUSH_EVERY_MS`; pino writes out what is left
 * when the process exits (also on process.exit and an uncaught exception), so only a kill -9
 * loses the last fraction of a second of lines.
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Thrown only once the stream has been ended (the process is exiting): nothing to write.
    }
  }, FLUSH_EVERY_MS).unref();
  return stream;
}

/** `destination` defaults to stdout; tests pass a stream to read what would have been logged. */
export function createLogger(options: { level: string; name: string; destination?: DestinationStream }): Logger {
  const loggerOptions: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACT, censor: "[redacted]" },
    base: { pid: process.pid, service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(loggerOptions, options.destination ?? bufferedStdout());
}
