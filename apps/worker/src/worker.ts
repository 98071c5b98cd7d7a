import { Worker, type Job } from "bullmq";
import type { Config } from "@hookline/config";
import type { Logger } from "@hookline/core";
import { connectDatabase, type Database } from "@hookline/db";
import { createRedis, QUEUES } from "@hookline/queue";

export interface WorkerDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
}

export type Processor = (job: Job, deps: WorkerDependencies) => Promise<void>;

export interface RunningWorker {
  /** Resolves once the worker has connected to Redis and Postgres and is taking jobs. */
  readonly ready: Promise<void>;
  /** Stops taking jobs, lets in-flight jobs finish, then closes every connection. */
  stop(): Promise<void>;
}

export function startWorker(config: Config, logger: Logger, processor: Processor): RunningWorker {
  const db = connectDatabase({
    url: config.databaseUrl,
    poolMax: 10,
    onPoolError: (error) => logger.warn({ err: error }, "idle database connection lost"),
  });
  const connection = createRedis(config.redisUrl, "worker");
  connection.on("error", (error) => logger.warn({ err: error.message }, "redis connection error"));
  const deps: WorkerDependencies = { config, logger, db };

  const worker = new Worker(QUEUES.deliveries, (job) => processor(job, deps), {
    connection,
    prefix: config.queuePrefix,
    autorun: false,
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));

  const ready = (async () => {
    await db.pool.query("SELECT 1");
    await worker.waitUntilReady();
    void worker.run().catch((error: unknown) => logger.error({ err: error }, "worker stopped unexpectedly"));
  })();

  return {
    ready,
    async stop() {
      await worker.close();
      connection.disconnect();
      await db.close();
    },
  };
}
