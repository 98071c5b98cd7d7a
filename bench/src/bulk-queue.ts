import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";

/**
 * A BullMQ queue with a no-op worker, fed in bulk: the Q ceiling and the floor's c' both measure
 * BullMQ itself this way. `feed` adds one `batch` of jobs unless `maxBacklog` are already waiting
 * (then it pauses `idleMs`), so the worker never runs dry and Redis never fills; `completed`
 * counts the jobs the worker finished. Jobs leave Redis on completion, as the engine's do.
 */
export function bulkQueue(options: {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly name: string;
  readonly concurrency: number;
  readonly batch: number;
  readonly maxBacklog: number;
  readonly idleMs: number;
  readonly job: (serial: number) => { readonly name: string; readonly data: Record<string, unknown> };
}) {
  const producer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(options.name, { connection: producer, prefix: options.prefix });
  const worker = new Worker(options.name, async () => undefined, {
    connection: consumer,
    prefix: options.prefix,
    concurrency: options.concurrency,
  });
  let added = 0;
  let completed = 0;
  worker.on("completed", () => completed++);
  return {
    completed: () => completed,
    /** For `lanes`: adds one batch (or waits while the backlog is full); counts nothing itself. */
    async feed(): Promise<number> {
      if (added - completed >= options.maxBacklog) {
        await new Promise((resolve) => setTimeout(resolve, options.idleMs));
        return 0;
      }
      await queue.addBulk(
        Array.from({ length: options.batch }, () => ({
          ...options.job(added++),
          opts: { removeOnComplete: true, removeOnFail: true },
        })),
      );
      return 0;
    },
    async close(): Promise<void> {
      await worker.close(true);
      await queue.obliterate({ force: true });
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    },
  };
}
