import { Queue, type JobsOptions } from "bullmq";
import type { RedisClient } from "./connection.js";
import { parsePayload, type JobKind, type QueueName } from "./catalog.js";

const PROMOTE_CHUNK = 100;

/**
 * BullMQ options of a job of this kind. Finished jobs leave Redis at once (Postgres keeps the
 * record), so Redis memory stays flat. A job whose processor threw is run again a few times by
 * BullMQ and then removed too: its row is still due, and the sweeper enqueues it again.
 */
function jobOptions<P>(kind: JobKind<P>, payload: P, delayMs?: number): JobsOptions {
  return {
    jobId: kind.jobId(payload),
    removeOnComplete: true,
    removeOnFail: true,
    attempts: kind.attempts,
    backoff: { type: kind.backoff.type, delay: kind.backoff.delayMs },
    ...(delayMs !== undefined && delayMs > 0 && { delay: delayMs }),
  };
}

/**
 * The producer side of every queue in the catalog, on one Redis connection. Callers name a job
 * kind and give payloads; the kind decides the queue, the job id and the options, and every
 * payload is checked against the kind's schema before it is added.
 */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: RedisClient,
    readonly prefix: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** The BullMQ queue of that name, made on first use. */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // Connection errors surface on every command anyway; unhandled, BullMQ would print them.
      queue.on("error", this.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds jobs, in the order given; a payload whose job id exists already adds nothing. */
  async add<P>(kind: JobKind<P>, payloads: readonly P[], options: { delayMs?: number } = {}): Promise<void> {
    if (payloads.length === 0) return;
    const checked = payloads.map((payload) => parsePayload(kind, payload));
    await this.queue(kind.queue).addBulk(checked.map((data) => ({ name: kind.name, data, opts: jobOptions(kind, data, options.delayMs) })));
  }

  /**
   * Adds a job for work that is due again after its earlier job finished (a manual retry): a
   * finished job still holding the id would otherwise swallow the new one. A job that is still
   * waiting, delayed or running is left to do the work.
   */
  async addAgain<P>(kind: JobKind<P>, payload: P): Promise<void> {
    const job = await this.queue(kind.queue).getJob(kind.jobId(payload));
    if (job) {
      const state = await job.getState();
      if (state !== "completed" && state !== "failed") return;
      await job.remove();
    }
    await this.add(kind, [payload]);
  }

  /** Makes delayed jobs due now; a job that is no longer delayed (taken, finished, gone) is left as it is. */
  async promote<P>(kind: JobKind<P>, jobIds: readonly string[]): Promise<void> {
    const queue = this.queue(kind.queue);
    // A hundred at a time: their commands share the connection's pipe instead of each waiting
    // for the one before.
    for (let start = 0; start < jobIds.length; start += PROMOTE_CHUNK) {
      await Promise.all(
        jobIds.slice(start, start + PROMOTE_CHUNK).map(async (id) => {
          const job = await queue.getJob(id);
          await job?.promote().catch(() => undefined);
        }),
      );
    }
  }

  /** Which of these job ids have no job in Redis (waiting, delayed or active). */
  async missing<P>(kind: JobKind<P>, jobIds: readonly string[]): Promise<string[]> {
    if (jobIds.length === 0) return [];
    const queue = this.queue(kind.queue);
    const pipeline = this.connection.pipeline();
    for (const id of jobIds) pipeline.exists(queue.toKey(id));
    const results = (await pipeline.exec()) ?? [];
    return jobIds.filter((_, i) => {
      const [error, exists] = results[i] ?? [null, 0];
      if (error) throw error;
      return exists === 0;
    });
  }

  /** Jobs of the queue waiting to be taken (for a worker's health report). */
  waitingCount(name: QueueName): Promise<number> {
    return this.queue(name).getWaitingCount();
  }

  /** Closes every queue; gives up waiting after `timeoutMs` when Redis is unreachable. */
  async close(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closing = Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.race([closing, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
