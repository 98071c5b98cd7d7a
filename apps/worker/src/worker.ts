import { Worker, type Job } from "bullmq";
import type { Config } from "@hookline/config";
import type { Logger } from "@hookline/core";
import { connectDatabase, type Database } from "@hookline/db";
import { createHttpClient, type HttpClient } from "@hookline/delivery";
import { createRedis, DeliveryQueue, QUEUES } from "@hookline/queue";
import { startSweeper } from "./sweeper.js";

export interface WorkerDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly http: HttpClient;
}

export type Processor = (job: Job, deps: WorkerDependencies, token?: string) => Promise<void>;

export interface RunningWorker {
  /** Resolves once the worker has connected to Redis and Postgres and is taking jobs. */
  readonly ready: Promise<void>;
  /** Stops taking jobs, lets in-flight jobs finish, then closes every connection. */
  stop(): Promise<void>;
}

/** The longest endpoint timeout the API accepts; a job's lock must outlast it. */
const MAX_ENDPOINT_TIMEOUT_MS = 60_000;

export function startWorker(config: Config, logger: Logger, processor: Processor): RunningWorker {
  const db = connectDatabase({
    url: config.databaseUrl,
    // Each in-flight delivery holds a connection only for its short reads and writes.
    poolMax: Math.min(20, Math.max(4, Math.ceil(config.delivery.concurrency / 5))),
    onPoolError: (error) => logger.warn({ err: error }, "idle database connection lost"),
  });
  const connection = createRedis(config.redisUrl, "worker");
  connection.on("error", (error) => logger.warn({ err: error.message }, "redis connection error"));
  const http = createHttpClient({ maxBodyBytes: config.delivery.responseBodyMaxBytes });
  const deps: WorkerDependencies = { config, logger, db, http };

  const worker = new Worker(QUEUES.deliveries, (job, token) => processor(job, deps, token), {
    connection,
    prefix: config.queuePrefix,
    autorun: false,
    concurrency: config.delivery.concurrency,
    // BullMQ renews the lock while the job runs; a lock longer than the longest request keeps a
    // delivery from being handed to a second worker even if a renewal is missed.
    lockDuration: MAX_ENDPOINT_TIMEOUT_MS + 30_000,
    maxStalledCount: 5,
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  worker.on("failed", (job, error) => {
    if (job) logger.error({ job_id: job.id, err: error.message, attempts: job.attemptsMade }, "delivery job crashed");
  });

  // The sweeper enqueues; like the API it must fail fast rather than queue commands while Redis is away.
  const producer = createRedis(config.redisUrl, "producer");
  producer.on("error", () => undefined);
  const queue = new DeliveryQueue(producer, config.queuePrefix);
  let sweeper: ReturnType<typeof startSweeper> | undefined;

  const ready = (async () => {
    await db.pool.query("SELECT 1");
    await worker.waitUntilReady();
    void worker.run().catch((error: unknown) => logger.error({ err: error }, "worker stopped unexpectedly"));
    sweeper = startSweeper({ db, queue, logger }, config.sweeper);
  })();

  return {
    ready,
    async stop() {
      await sweeper?.stop();
      await worker.close();
      await queue.close();
      producer.disconnect();
      connection.disconnect();
      http.close();
      await db.close();
    },
  };
}
