import { DelayedError, Worker, type Job } from "bullmq";
import type { Config } from "@hookline/config";
import { startProcessMetrics, type Logger, type Tracing } from "@hookline/core";
import { connectDatabase, createWorkStore, isDatabaseUnavailable, sealLegacySecrets, verifyEncryptionKey } from "@hookline/db";
import { createOutbound, type Resolver } from "@hookline/delivery";
import { createDeliveryEngine, EndpointGate, type DeliveryEngine } from "@hookline/delivery-engine";
import { createFlowRunner } from "@hookline/inbound";
import { createPublisher } from "@hookline/publishing";
import { lazySandboxPool } from "@hookline/sandbox";
import {
  createRedis,
  evictionPolicies,
  isSafeEvictionPolicy,
  JobQueues,
  ListenSender,
  QUEUES,
  queueSettings,
  Scheduler,
} from "@hookline/queue";
import { processFlow } from "./flow.processor.js";
import { withListenRelay } from "./listen-transport.js";
import { startSweeper } from "./sweeper.js";
import { startHousekeeping } from "./housekeeping.js";
import { PostgresBackoff } from "./postgres-backoff.js";

/** What a job's processor needs: the delivery engine, with this process's gate in it. */
export interface WorkerDependencies {
  readonly engine: DeliveryEngine;
  readonly logger: Logger;
  /** Tracing, when on (see @hookline/telemetry): a span per job run. */
  readonly tracing?: Tracing | undefined;
}

export interface WorkerOptions {
  /** Replaces DNS for deliveries; tests use it to play tricks on the SSRF guard. */
  readonly resolve?: Resolver | undefined;
  /** Tracing, when on: spans for jobs, attempts, flow runs and the publishes they make. */
  readonly tracing?: Tracing | undefined;
}

export type Processor = (job: Job, deps: WorkerDependencies, token?: string) => Promise<void>;

export interface WorkerHealth {
  readonly healthy: boolean;
  readonly reason?: string | undefined;
  readonly active: number;
  readonly waiting: number;
  readonly lastJobStartedAt: string | null;
  /** Whether this worker's jobs are waiting for Postgres (see PostgresBackoff). */
  readonly postgres: "ok" | "unavailable";
}

export interface RunningWorker {
  /** Resolves once the worker has connected to Redis and Postgres and is taking jobs. */
  readonly ready: Promise<void>;
  /**
   * Stops taking jobs and lets in-flight jobs finish for up to `deadlineMs`, then closes every
   * connection. Resolves false if the deadline cut jobs short: their locks lapse and another
   * worker takes them again.
   */
  stop(deadlineMs?: number): Promise<boolean>;
  /** Is this worker taking jobs? Unhealthy when jobs wait but none has started for a while. */
  health(): Promise<WorkerHealth>;
}

export function startWorker(config: Config, logger: Logger, processor: Processor, options: WorkerOptions = {}): RunningWorker {
  startProcessMetrics();
  const db = connectDatabase({
    url: config.databaseUrl,
    pooler: config.databasePooler,
    encryptionKey: config.encryptionKey,
    // Each in-flight delivery holds a connection only for its short reads and writes.
    poolMax: Math.min(20, Math.max(4, Math.ceil(config.delivery.concurrency / 5))),
    onPoolError: (error) => logger.warn({ err: error }, "idle database connection lost"),
  });
  const connection = createRedis(config.redis, "worker");
  connection.on("error", (error) => logger.warn({ err: error.message }, "redis connection error"));
  const { http, tokens } = createOutbound({
    responseBodyMaxBytes: config.delivery.responseBodyMaxBytes,
    maxInFlight: config.delivery.concurrency,
    allowPrivateTargets: config.delivery.allowPrivateTargets,
    resolve: options.resolve,
  });
  // The producer side (sweeper, operational events, releases) must fail fast rather than queue
  // commands while Redis is away.
  const producer = createRedis(config.redis, "producer");
  producer.on("error", () => undefined);
  const queues = new JobQueues(producer, config.queuePrefix);
  // Deliveries to `hookline listen` endpoints go to the listening CLI through Redis, not over the network.
  const listenSubscriber = createRedis(config.redis, "worker");
  listenSubscriber.on("error", () => undefined);
  const deliveries = withListenRelay(
    http,
    new ListenSender(producer, listenSubscriber, config.queuePrefix),
    config.delivery.responseBodyMaxBytes,
  );
  const scheduler = new Scheduler({ queues, logger });
  const { tracing } = options;
  const publisher = createPublisher({ db, scheduler, idempotencyWindowMs: config.api.idempotencyWindowMs, tracing });
  const engine = createDeliveryEngine({
    tracing,
    logger,
    policy: config.delivery,
    work: createWorkStore(db),
    http: deliveries,
    tokens,
    operationalEvents: publisher.operationalEvents,
    waiting: scheduler,
    gate: new EndpointGate(config.delivery.gate),
  });
  const deps: WorkerDependencies = { engine, logger, tracing };
  // Both queues' jobs wait together while Postgres does not answer, and one ping probes.
  const postgres = new PostgresBackoff({
    isUnavailable: isDatabaseUnavailable,
    ping: () => db.ping(),
    onUnavailable: (error, delayMs) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), retry_ms: delayMs },
        "Postgres unavailable: jobs wait, one ping probes",
      ),
    onRecovered: (downMs, probes) => logger.info({ down_ms: downMs, probes }, "Postgres answers again: jobs go on"),
  });
  /** A job, behind the back-off; when the worker stops while it waits, it goes back to the queue as it was. */
  const held = (job: Job, token: string | undefined, work: () => Promise<void>) =>
    postgres.run(work, async () => {
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    });

  // Integrations' flows run here, in this process's own sandbox threads (started with the first flow).
  const sandbox = lazySandboxPool({
    threads: config.inbound.sandboxThreads,
    maxPerTenant: config.inbound.sandboxThreadsPerTenant,
    limits: config.inbound.limits,
    maxQueuedPerTenant: config.inbound.maxQueuedPerTenant,
    logger,
  });
  const runFlow = createFlowRunner({
    db,
    sandbox,
    hostOptions: { publisher, http, fetchResponseMaxBytes: config.inbound.limits.fetchResponseBytes, logger },
    logger,
    tracing,
  });
  const flows = new Worker(QUEUES.flows, (job, token) => held(job, token, () => processFlow(job, runFlow)), {
    connection,
    prefix: config.queuePrefix,
    autorun: false,
    concurrency: config.worker.flowConcurrency,
    // Renewed while the flow runs; a worker that dies mid-flow loses it and the job runs again.
    lockDuration: config.worker.flowLockMs,
    stalledInterval: config.worker.flowLockMs,
    maxStalledCount: 5,
  });
  flows.on("error", (error) => logger.error({ err: error }, "flow worker error"));
  flows.on("failed", (job, error) => {
    if (job) logger.error({ job_id: job.id, err: error.message, attempts: job.attemptsMade }, "flow job crashed");
  });

  const worker = new Worker(QUEUES.deliveries, (job, token) => held(job, token, () => processor(job, deps, token)), {
    connection,
    prefix: config.queuePrefix,
    autorun: false,
    concurrency: config.delivery.concurrency,
    // BullMQ renews the lock while the job runs; a lock longer than the longest request (the
    // catalog sizes it by the longest endpoint timeout the API accepts) keeps a delivery from
    // being handed to a second worker even if a renewal is missed.
    lockDuration: queueSettings(QUEUES.deliveries).lockDurationMs,
    maxStalledCount: 5,
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  let active = 0;
  let lastJobStartedAt: number | undefined;
  const startedAt = Date.now();
  worker.on("active", () => {
    active++;
    lastJobStartedAt = Date.now();
  });
  const settled = () => {
    active = Math.max(0, active - 1);
  };
  worker.on("completed", settled);
  worker.on("failed", settled);
  worker.on("failed", (job, error) => {
    if (job) logger.error({ job_id: job.id, err: error.message, attempts: job.attemptsMade }, "delivery job crashed");
  });

  let sweeper: ReturnType<typeof startSweeper> | undefined;
  let housekeeping: ReturnType<typeof startHousekeeping> | undefined;

  const ready = (async () => {
    await verifyEncryptionKey(db);
    const sealed = await sealLegacySecrets(db);
    if (sealed > 0) logger.info({ endpoints: sealed }, "sealed secrets stored before encryption at rest");
    await worker.waitUntilReady();
    // On a cluster every primary is asked: each node has its own configuration.
    const unsafe = (await evictionPolicies(connection)).filter((node) => !isSafeEvictionPolicy(node.policy));
    if (unsafe.length > 0) {
      const message =
        `Redis maxmemory-policy is ${unsafe.map((node) => `"${node.policy}" on ${node.node}`).join(", ")}: it may evict queued jobs. ` +
        "Set it to noeviction, or ALLOW_EVICTING_REDIS=true to run anyway.";
      if (!config.worker.allowEvictingRedis) throw new Error(message);
      logger.warn({ nodes: unsafe }, message);
    }
    await flows.waitUntilReady();
    void worker.run().catch((error: unknown) => logger.error({ err: error }, "worker stopped unexpectedly"));
    void flows.run().catch((error: unknown) => logger.error({ err: error }, "flow worker stopped unexpectedly"));
    sweeper = startSweeper({ db, queues, scheduler, logger }, config.sweeper);
    housekeeping = startHousekeeping({ db, logger, scheduler }, { ...config.retention, deletionIntervalMs: config.sweeper.intervalMs });
  })();

  async function health(): Promise<WorkerHealth> {
    const base = {
      active,
      lastJobStartedAt: lastJobStartedAt === undefined ? null : new Date(lastJobStartedAt).toISOString(),
      // Said, not judged: restarting a worker does not bring Postgres back (its jobs wait meanwhile).
      postgres: postgres.unavailable ? ("unavailable" as const) : ("ok" as const),
    };
    if (!worker.isRunning()) return { ...base, healthy: false, reason: "not running", waiting: 0 };
    if (connection.status !== "ready") return { ...base, healthy: false, reason: `redis ${connection.status}`, waiting: 0 };
    const waiting = await queues.waitingCount(QUEUES.deliveries);
    const idleFor = Date.now() - (lastJobStartedAt ?? startedAt);
    // Jobs are waiting, this worker has free slots, yet it has started nothing for a long time.
    const stalled = waiting > 0 && active < config.delivery.concurrency && idleFor > config.worker.stallTimeoutMs;
    return {
      ...base,
      healthy: !stalled,
      reason: stalled ? `no job started for ${Math.round(idleFor / 1000)} s with ${waiting} waiting` : undefined,
      waiting,
    };
  }

  return {
    ready,
    health,
    async stop(deadlineMs = config.worker.shutdownTimeoutMs) {
      // No more jobs are taken; then the jobs waiting for Postgres go back to the queue as they
      // were (no attempt spent), for another worker or the next start.
      const closing = Promise.all([worker.close(), flows.close()]);
      postgres.stop();
      await Promise.all([sweeper?.stop(), housekeeping?.stop()]);
      let timer: NodeJS.Timeout | undefined;
      const graceful = await Promise.race([
        closing.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), deadlineMs);
        }),
      ]);
      clearTimeout(timer);
      if (!graceful) await Promise.all([worker.close(true), flows.close(true)]);
      await sandbox.close();
      await queues.close();
      producer.disconnect();
      listenSubscriber.disconnect();
      connection.disconnect();
      http.close();
      await db.close();
      return graceful;
    },
  };
}
