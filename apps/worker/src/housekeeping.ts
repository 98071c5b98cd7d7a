import type { Logger } from "@hookline/core";
import { purgeExpiredHistory, type Database, type PurgeCounts } from "@hookline/db";

export interface HousekeepingOptions {
  readonly intervalMs: number;
  /** RETENTION_DAYS: for tenants without their own retention. */
  readonly defaultDays: number;
  readonly batchSize: number;
}

export interface HousekeepingPass {
  readonly purged: PurgeCounts;
}

/**
 * The history's upkeep, in every worker: at start and then every interval, history past each
 * tenant's retention is purged in batches. Workers running it at once share the rows (SKIP
 * LOCKED), so no worker is special and any may stop.
 */
export function startHousekeeping(deps: { db: Database; logger: Logger }, options: HousekeepingOptions) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function runOnce(): Promise<HousekeepingPass> {
    const purged = await purgeExpiredHistory(deps.db, {
      defaultDays: options.defaultDays,
      batchSize: options.batchSize,
      stopped: () => stopped,
    });
    if (Object.values(purged).some((n) => n > 0)) deps.logger.info({ purged }, "purged history past its retention");
    return { purged };
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
