import type { Logger } from "@hookline/core";
import { dropExpiredAttemptPartitions, ensureAttemptPartitions, purgeExpiredHistory, type Database, type PurgeCounts } from "@hookline/db";

export interface HousekeepingOptions {
  readonly intervalMs: number;
  /** RETENTION_DAYS: for tenants without their own retention. */
  readonly defaultDays: number;
  readonly batchSize: number;
  /** Days of attempt partitions kept ready ahead of today. */
  readonly partitionsAheadDays: number;
}

export interface HousekeepingPass {
  readonly createdPartitions: readonly string[];
  readonly droppedPartitions: readonly string[];
  readonly purged: PurgeCounts;
}

/**
 * The history's upkeep, in every worker: at start and then every interval, the coming days'
 * attempt partitions are created, days past every tenant's retention are dropped whole, and what
 * is left past each tenant's own retention is purged in batches. Workers running it at once take
 * turns on the partitions (an advisory lock) and share the rows (SKIP LOCKED), so no worker is
 * special and any may stop.
 */
export function startHousekeeping(deps: { db: Database; logger: Logger }, options: HousekeepingOptions) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function runOnce(): Promise<HousekeepingPass> {
    const createdPartitions = await ensureAttemptPartitions(deps.db, { days: options.partitionsAheadDays });
    // Partitions before rows: the purge of a dropped day's deliveries then has no attempts to cascade to.
    const droppedPartitions = await dropExpiredAttemptPartitions(deps.db, options.defaultDays);
    if (createdPartitions.length > 0 || droppedPartitions.length > 0)
      deps.logger.info({ created: createdPartitions, dropped: droppedPartitions }, "attempt partitions changed");
    const purged = await purgeExpiredHistory(deps.db, {
      defaultDays: options.defaultDays,
      batchSize: options.batchSize,
      stopped: () => stopped,
    });
    if (Object.values(purged).some((n) => n > 0)) deps.logger.info({ purged }, "purged history past its retention");
    return { createdPartitions, droppedPartitions, purged };
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, "housekeeping failed; will try again"))
        .finally(() => schedule(options.intervalMs));
    }, delayMs);
    timer.unref();
  }
  schedule(0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
