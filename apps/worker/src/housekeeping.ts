import type { Logger } from "@hookline/core";
import type { Scheduler } from "@hookline/queue";
import {
  claimStaleRecoveries,
  continueRecovery,
  dropExpiredAttemptPartitions,
  ensureAttemptPartitions,
  purgeDeletedEndpoints,
  purgeExpiredHistory,
  type Database,
  type PurgeCounts,
} from "@hookline/db";

export interface HousekeepingOptions {
  readonly intervalMs: number;
  /** RETENTION_DAYS: for tenants without their own retention. */
  readonly defaultDays: number;
  readonly batchSize: number;
  /** RETENTION_DUTY_PERCENT: the row purge's share of its running time spent in statements. */
  readonly dutyPercent: number;
  /** Days of attempt partitions kept ready ahead of today. */
  readonly partitionsAheadDays: number;
  /** How often deleted endpoints' deliveries (and stalled recoveries) are looked for: soon after the request. */
  readonly deletionIntervalMs: number;
  /** Tests: how long a running recovery may stand still before a worker takes it over. */
  readonly staleRecoveryMs?: number;
}

export interface HousekeepingPass {
  readonly createdPartitions: readonly string[];
  readonly droppedPartitions: readonly string[];
  readonly purged: PurgeCounts;
}

/** Endpoints whose history one deletion pass takes on; the next pass takes the rest. */
const DELETED_ENDPOINTS_PER_PASS = 10;
/**
 * A running recovery whose count has not moved for this long lost its process (a batch of 5,000
 * takes well under a second), and a worker takes it over.
 */
export const STALE_RECOVERY_MS = 60_000;

/** A task run at start and then every `intervalMs` after the previous run ends, until stopped. */
function repeat(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = task()
        .catch(onError)
        .finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  };
  schedule(0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}

/**
 * The history's upkeep, in every worker. At start and then every interval, the coming days'
 * attempt partitions are created, days past every tenant's retention are dropped whole, and what
 * is left past each tenant's own retention is purged in batches. More often, deleted endpoints
 * lose their deliveries and then their rows. Workers running it at once take turns on the
 * partitions (an advisory lock) and share the rows (SKIP LOCKED, or row locks in id order), so no
 * worker is special and any may stop.
 */
export function startHousekeeping(deps: { db: Database; logger: Logger; scheduler: Scheduler }, options: HousekeepingOptions) {
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
      dutyPercent: options.dutyPercent,
      stopped: () => stopped,
    });
    if (Object.values(purged).some((n) => n > 0)) deps.logger.info({ purged }, "purged history past its retention");
    return { createdPartitions, droppedPartitions, purged };
  }

  /** Deleted endpoints' history, and recoveries whose process stopped. */
  async function purgeDeleted(): Promise<number> {
    const endpoints = await purgeDeletedEndpoints(deps.db, { limit: DELETED_ENDPOINTS_PER_PASS });
    if (endpoints > 0) deps.logger.info({ endpoints }, "deleted the history of deleted endpoints");
    for (const recovery of await claimStaleRecoveries(deps.db, options.staleRecoveryMs ?? STALE_RECOVERY_MS, 10)) {
      const done = await continueRecovery(deps.db, recovery, (ids) => deps.scheduler.due(ids, deps.logger));
      deps.logger.warn({ recovery_id: done.id, recovered: done.recovered }, "finished a recovery whose process had stopped");
    }
    return endpoints;
  }

  const warn = (what: string) => (error: unknown) => deps.logger.warn({ err: (error as Error).message }, `${what} failed; will try again`);
  const stops = [
    repeat(options.intervalMs, runOnce, warn("housekeeping")),
    repeat(options.deletionIntervalMs, purgeDeleted, warn("endpoint purge")),
  ];

  return {
    runOnce,
    purgeDeleted,
    async stop() {
      stopped = true;
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
