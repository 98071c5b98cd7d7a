import sonicBoom, { type SonicBoom as SonicBoomClass, type SonicBoomOpts } from "sonic-boom";
import type { DestinationStream } from "pino";

/**
 * Where a process's log lines go: a file descriptor (standard output), written in blocks, that
 * never blocks the event loop, never retries forever and never keeps the process from exiting.
 *
 * - Lines are written once `bufferBytes` have gathered, or every `flushEveryMs`: a write per
 *   line was a tenth of the API's and the worker's CPU on a loaded machine (docs/PERFORMANCE.md).
 * - A reader that is slow or stalled (a pipe nobody reads) makes writes wait in memory, up to
 *   `maxBufferedBytes`; lines past that are dropped and counted.
 * - A reader that is gone (EPIPE, a closed descriptor) stops the output: what was buffered and
 *   every later line are dropped and counted. Retrying such a write can only fail again; pino's
 *   own destination (sonic-boom 4) retried it every 100 ms forever when it met it at exit, which
 *   kept a stopped API alive until SIGKILL.
 * - At exit, what is buffered is written synchronously, with a bounded number of 100 ms retries
 *   for a full pipe (`exitRetries`), then dropped and counted.
 */
export interface LogOutput extends DestinationStream {
  /** Log lines dropped since the start: the reader was gone, or too slow for the buffer. */
  readonly dropped: number;
  /**
   * Writes what is buffered now, synchronously, and tells whether the output works: the error
   * that stopped it, or nothing. A full pipe is not an error here (its lines wait, as always).
   * A process calls it as it starts, when a reader that is missing means a mistake, not a fault.
   */
  check(): NodeJS.ErrnoException | undefined;
}

export interface LogOutputOptions {
  readonly fd?: number;
  readonly bufferBytes?: number;
  readonly maxBufferedBytes?: number;
  readonly flushEveryMs?: number;
  readonly exitRetries?: number;
  /** Called with the error that stopped the output (once). */
  readonly onBroken?: (error: NodeJS.ErrnoException) => void;
}

// sonic-boom is CommonJS whose module.exports is the class; its declarations call it a default
// export, which NodeNext resolution reads as the module object.
const SonicBoom = sonicBoom as unknown as typeof SonicBoomClass;

const lines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
};

/** Waiting on a full pipe: retried later, never an end of the output. */
const isBusy = (error: NodeJS.ErrnoException) => error.code === "EAGAIN" || error.code === "EBUSY";

export function createLogOutput(options: LogOutputOptions = {}): LogOutput {
  const fd = options.fd ?? 1;
  // A child's standard output is a blocking pipe until Node opens it as a stream, which makes it
  // non-blocking: otherwise the synchronous flush at exit waits forever on a pipe nobody reads
  // (a full pipe then answers EAGAIN, retried a bounded number of times).
  if (fd === 1) void process.stdout;
  if (fd === 2) void process.stderr;
  const settings: SonicBoomOpts & { maxWriteRetries: number } = {
    fd,
    sync: false,
    minLength: options.bufferBytes ?? 4096,
    maxLength: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    periodicFlush: options.flushEveryMs ?? 100,
    // Consecutive EAGAIN retries, 100 ms apart, before a write gives up (the lines stay buffered
    // and the next write tries again); bounds the synchronous flush at exit as well. (sonic-boom
    // 5 reads it; its type declarations predate it.)
    maxWriteRetries: options.exitRetries ?? 10,
  };
  const boom = new SonicBoom(settings);
  let dropped = 0;
  let broken: NodeJS.ErrnoException | undefined;

  const stop = (error: NodeJS.ErrnoException) => {
    if (broken) return;
    broken = error;
    // What sonic-boom still holds will never be written. It has no public way to tell, so its
    // buffer list is read, defensively; destroy() then clears it and its timers (and never
    // closes descriptors 1 and 2).
    const held = (boom as unknown as { _bufs?: (string | Buffer)[] })._bufs ?? [];
    for (const chunk of held) dropped += lines(chunk.toString());
    try {
      boom.destroy();
    } catch {
      // Destroying a stream whose descriptor failed may fail the same way; it is dropped either way.
    }
    options.onBroken?.(error);
  };

  boom.on("drop", (data: string | Buffer) => {
    dropped += lines(data.toString());
  });
  boom.on("error", (error: NodeJS.ErrnoException) => {
    if (!isBusy(error)) stop(error);
  });

  process.once("exit", () => {
    if (broken) return;
    try {
      boom.flushSync();
    } catch (error) {
      stop(error as NodeJS.ErrnoException);
    }
  });

  return {
    write(line: string) {
      if (broken) {
        dropped += lines(line);
        return;
      }
      boom.write(line);
    },
    get dropped() {
      return dropped;
    },
    check() {
      if (!broken) {
        try {
          boom.flushSync();
        } catch (error) {
          if (!isBusy(error as NodeJS.ErrnoException)) stop(error as NodeJS.ErrnoException);
        }
      }
      return broken;
    },
  };
}
