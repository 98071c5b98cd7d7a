import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, QUEUES, type DeliverJob } from "./catalog.js";

/**
 * Job options of a delivery job. The job id is the delivery id, so enqueueing a delivery twice is
 * a no-op while its job exists. Finished jobs leave Redis (Postgres keeps the record); a job that
 * crashed the processor (not a failed HTTP attempt, which the processor reschedules itself) is
 * retried a few times by BullMQ and then kept for a week for inspection.
 */
export const DELIVER_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
};

export class DeliveryQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(QUEUES.deliveries, { connection, prefix });
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

  close(): Promise<void> {
    return this.queue.close();
  }
}
