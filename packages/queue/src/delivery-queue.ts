import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, QUEUES, type DeliverJob } from "./catalog.js";

/**
 * Job options of a delivery job. The job id is the delivery id, so enqueueing a delivery twice is
 * a no-op while its job exists. Finished jobs leave Redis at once (Postgres keeps the record), so
 * Redis memory stays flat. A job that crashed the processor (not a failed HTTP attempt, which the
 * processor reschedules itself) is retried a few times by BullMQ and then removed too: its row is
 * still pending, and the sweeper enqueues it again.
 */
export const DELIVER_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: true,
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
};

const PROMOTE_CHUNK = 100;

export class DeliveryQueue {
  readonly queue: Queue;

  constructor(
    private readonly connection: Redis,
    prefix: string,
    onError: (error: Error) => void = () => undefined,
  ) {
    this.queue = new Queue(QUEUES.deliveries, { connection, prefix });
    // Connection errors surface on every command anyway; unhandled, BullMQ would print them.
    this.queue.on("error", onError);
  }

  /** Enqueues deliveries now (their rows must already be committed), in the order given. */
  async enqueue(deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: JOBS.deliver.name,
        data: { v: 1, deliveryId } satisfies DeliverJob,
        opts: { ...DELIVER_JOB_OPTIONS, jobId: deliveryId },
      })),
    );
  }

  /** Enqueues one delivery to run at `when` (a retry decided outside a worker). */
  async enqueueAt(deliveryId: string, when: Date): Promise<void> {
    await this.queue.add(JOBS.deliver.name, { v: 1, deliveryId } satisfies DeliverJob, {
      ...DELIVER_JOB_OPTIONS,
      jobId: deliveryId,
      delay: Math.max(0, when.getTime() - Date.now()),
    });
  }

  /**
   * Makes sure a delivery that is due again (a manual retry) has a job: a leftover finished job
   * with the same id would otherwise swallow the new one.
   */
  async requeue(deliveryId: string): Promise<void> {
    const job = await this.queue.getJob(deliveryId);
    if (job) {
      const state = await job.getState();
      if (state === "completed" || state === "failed") await job.remove();
      else return;
    }
    await this.enqueue([deliveryId]);
  }

  /**
   * Makes delayed delivery jobs due now (deliveries deferred while their endpoint was failing).
   * A job that is no longer delayed (taken, finished, gone) is left as it is.
   */
  async promote(deliveryIds: readonly string[]): Promise<void> {
    // A hundred at a time: their commands share the connection's pipe instead of each waiting
    // for the one before (1,000 waiting deliveries were 2,000 round trips in a row).
    for (let start = 0; start < deliveryIds.length; start += PROMOTE_CHUNK) {
      await Promise.all(
        deliveryIds.slice(start, start + PROMOTE_CHUNK).map(async (id) => {
          const job = await this.queue.getJob(id);
          await job?.promote().catch(() => undefined);
        }),
      );
    }
  }

  /** Which of these deliveries have no job in Redis (waiting, delayed or active). */
  async missingJobs(deliveryIds: readonly string[]): Promise<string[]> {
    if (deliveryIds.length === 0) return [];
    const pipeline = this.connection.pipeline();
    for (const id of deliveryIds) pipeline.exists(this.queue.toKey(id));
    const results = (await pipeline.exec()) ?? [];
    return deliveryIds.filter((_, i) => {
      const [error, exists] = results[i] ?? [null, 0];
      if (error) throw error;
      return exists === 0;
    });
  }

  /** Closes the queue; gives up waiting after `timeoutMs` when Redis is unreachable. */
  async close(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.close(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
