import type { Logger } from "@hookline/core";
import {
  deleteExpiredIdempotencyKeys,
  releaseStrandedHeldDeliveries,
  staleFlowExecutions,
  withDueDeliveries,
  type Database,
  type DueCursor,
} from "@hookline/db";
import { JOBS, type JobQueues, type Scheduler } from "@hookline/queue";

/** An enqueue the scheduler could not make (it logged why): the pass ends, the next one tries again. */
class EnqueueFailed extends Error {}

export interface SweeperOptions {
  readonly intervalMs: number;
  /** How long past due a delivery must be before it counts as lost, not just late. */
  readonly graceMs: number;
  readonly batchSize?: number;
}

/**
 * Redis can always be rebuilt from Postgres: every interval, deliveries that are due but have no
 * job (the enqueue after commit failed, Redis lost its data, a job crashed for good) are
 * enqueued again. Batches repeat until a pass finds nothing more to do. Each pass first releases
 * held deliveries of active endpoints that a resume missed (see releaseStrandedHeldDeliveries).
 */
export function startSweeper(deps: { db: Database; queues: JobQueues; scheduler: Scheduler; logger: Logger }, options: SweeperOptions) {
  const batchSize = options.batchSize ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  /** Releases and enqueues held deliveries of active endpoints, in batches; returns how many. */
  async function releaseStranded(): Promise<number> {
    let released = 0;
    for (;;) {
      const ids = await releaseStrandedHeldDeliveries(deps.db, { graceMs: options.graceMs, limit: batchSize });
      // Not enqueued (Redis down)? They are pending and due, so a later pass enqueues them.
      await deps.scheduler.due(ids);
      released += ids.length;
      if (ids.length < batchSize || stopped) return released;
    }
  }

  /** Flow executions queued or running past the grace whose job is gone: enqueued again (at least once). */
  async function requeueFlows(): Promise<number> {
    const ids = await staleFlowExecutions(deps.db, options.graceMs, batchSize);
    if (ids.length === 0) return 0;
    const missing = await deps.queues.missing(JOBS.runFlow, ids);
    if (!(await deps.scheduler.flowsDue(missing))) throw new EnqueueFailed();
    return missing.length;
  }

  /** One pass over everything due, in batches; returns how many deliveries (and flow executions) it enqueued. */
  async function sweepOnce(): Promise<number> {
    const flows = await requeueFlows();
    if (flows > 0) deps.logger.warn({ requeued: flows }, "sweeper enqueued flow executions that had no job");
    const released = await releaseStranded();
    if (released > 0) deps.logger.warn({ released }, "sweeper released held deliveries of active endpoints");
    let requeued = 0;
    let cursor: DueCursor | undefined;
    do {
      cursor = await withDueDeliveries(deps.db, { graceMs: options.graceMs, limit: batchSize, cursor }, async (ids) => {
        const missing = await deps.queues.missing(JOBS.deliver, ids);
        if (!(await deps.scheduler.due(missing))) throw new EnqueueFailed();
        requeued += missing.length;
      });
    } while (cursor && !stopped);
    return requeued;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepOnce()
        .then(async (requeued) => {
          await deleteExpiredIdempotencyKeys(deps.db);
          if (requeued > 0) deps.logger.warn({ requeued }, "sweeper enqueued due deliveries that had no job");
        })
        .catch((error: unknown) => {
          if (!(error instanceof EnqueueFailed)) deps.logger.warn({ err: (error as Error).message }, "sweep failed; will try again");
        })
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }
  schedule();

  return {
    sweepOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
