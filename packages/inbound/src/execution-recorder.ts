import type { Logger } from "@hookline/core";
import { recordExecutions, type Database, type ExecutionRow } from "@hookline/db";
import { executionsDropped } from "./metrics.js";

/** How long a group that the database refused waits before it is tried again. */
const RETRY_AFTER_MS = 1_000;

export interface ExecutionRecorderOptions {
  readonly db: Pick<Database, "pool">;
  readonly logger: Logger;
  /** Most executions in one statement. */
  readonly maxBatch?: number;
  /** How long an execution may wait for company before it is written. */
  readonly flushEveryMs?: number;
  /** Most executions held while the database is unreachable; older ones are dropped first. */
  readonly maxPending?: number;
}

export interface ExecutionRecorder {
  /** Takes an execution to write soon; never waits and never throws (the caller is answered first). */
  record(row: ExecutionRow): void;
  /** Writes what is pending now; resolves when it is written (or given up on). */
  flush(): Promise<void>;
  /** Flushes and stops: a clean shutdown loses no execution. */
  close(): Promise<void>;
}

/**
 * Executions are written after their call is answered, in groups (one statement for every
 * execution that finished in the last few milliseconds), as workers record attempts: recording
 * never slows an answer. If the database is unreachable, the group is tried again on the next
 * flush; past `maxPending` the oldest are dropped and counted, never blocking a call.
 */
export function createExecutionRecorder(options: ExecutionRecorderOptions): ExecutionRecorder {
  const maxBatch = options.maxBatch ?? 200;
  const flushEveryMs = options.flushEveryMs ?? 50;
  const maxPending = options.maxPending ?? 10_000;
  let pending: ExecutionRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const writeOnce = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      try {
        await recordExecutions(options.db, batch);
        pending = pending.slice(batch.length);
      } catch (error) {
        options.logger.warn({ err: (error as Error).message, executions: pending.length }, "could not record executions; will try again");
        if (!closed) timer ??= setTimeout(() => void flush(), RETRY_AFTER_MS).unref();
        return;
      }
    }
  };

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    writing = writing.then(writeOnce);
    return writing;
  };

  return {
    record(row) {
      pending.push(row);
      if (pending.length > maxPending) {
        const dropped = pending.length - maxPending;
        pending = pending.slice(dropped);
        executionsDropped.inc(dropped);
      }
      if (closed) return;
      if (pending.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), flushEveryMs).unref();
    },
    flush,
    async close() {
      closed = true;
      await flush();
      if (pending.length > 0) {
        executionsDropped.inc(pending.length);
        options.logger.error({ executions: pending.length }, "executions not recorded at shutdown: the database did not take them");
      }
    },
  };
}
