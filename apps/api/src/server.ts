import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import type { Config } from "@hookline/config";
import { publicFailure, startProcessMetrics, withinDeadline, type Logger, type Tracing } from "@hookline/core";
import {
  connectDatabase,
  createWorkStore,
  describeDatabaseFailure,
  provisionMissingEnvironments,
  provisionTestCustomers,
  sealLegacySecrets,
  verifyEncryptionKey,
  type Database,
} from "@hookline/db";
import { createOutbound, type Resolver } from "@hookline/delivery";
import { createDeliveryEngine } from "@hookline/delivery-engine";
import { createInboundService, createIntegrationService } from "@hookline/inbound";
import { createPublisher } from "@hookline/publishing";
import { lazySandboxPool } from "@hookline/sandbox";
import { createRedis, describeRedisFailure, JobQueues, ListenHub, Scheduler, type RedisClient } from "@hookline/queue";
import type { DependencyCheck } from "./routes/health.routes.js";
import { createApp } from "./app.js";
import type { ContractViolation } from "./http/contract-check.js";

/**
 * Each dependency answers within about a second or counts as unavailable, with the reason in a few
 * words from a fixed vocabulary (publicFailure: /readyz needs no credential, so it never repeats a
 * server's message, which may name its user or a client's address). A Redis command fails for a
 * disconnected client with "max retries", so while the client is not connected its connection's
 * last error is the reason.
 */
async function checkDependencies(db: Database, redis: RedisClient, redisTrouble: () => unknown): Promise<Record<string, DependencyCheck>> {
  const within = async (
    probe: () => Promise<unknown>,
    describe: (error: unknown) => string | undefined,
    cause: () => unknown = () => undefined,
  ): Promise<DependencyCheck> => {
    try {
      await withinDeadline(probe(), 1_000);
      return { state: "ok" };
    } catch (error) {
      return { state: "unavailable", reason: publicFailure(cause() ?? error, describe) };
    }
  };
  const [postgres, redisState] = await Promise.all([
    within(() => db.ping(), describeDatabaseFailure),
    within(
      () => redis.ping(),
      describeRedisFailure,
      () => (redis.status === "ready" ? undefined : redisTrouble()),
    ),
  ]);
  return { postgres, redis: redisState };
}

export interface RunningApi {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  stop(): Promise<void>;
}

/** Starts the control plane on config.api.port (0 picks a free port, as the tests do). */
export interface StartOptions {
  /** Replaces DNS for the API's outbound requests (synchronous webhooks); tests play tricks with it. */
  readonly resolve?: Resolver | undefined;
  /** Tests: told of every response the OpenAPI document does not describe. */
  readonly onContractViolation?: ((violation: ContractViolation) => void) | undefined;
  /** Tracing, when on (see @hookline/telemetry): spans for publishes, enqueues, inbound calls. */
  readonly tracing?: Tracing | undefined;
}

/** How long stopping waits for responses still in flight. */
const STOP_GRACE_MS = 5_000;

export async function startApi(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApi> {
  startProcessMetrics();
  const db = connectDatabase({
    url: config.databaseUrl,
    pooler: config.databasePooler,
    encryptionKey: config.encryptionKey,
    onPoolError: (error) => logger.warn({ err: error }, "idle database connection lost"),
  });
  // A wrong ENCRYPTION_KEY stops the API here, before it serves a request.
  try {
    await verifyEncryptionKey(db);
    const sealed = await sealLegacySecrets(db);
    if (sealed > 0) logger.info({ endpoints: sealed }, "sealed secrets stored before encryption at rest");
    await provisionTestCustomers(db);
    const provisioned = await provisionMissingEnvironments(db);
    if (provisioned > 0)
      logger.info({ tenants: provisioned }, "gave tenants created before environments existed their preview and live environments");
  } catch (error) {
    await db.close();
    throw error;
  }
  // The API only produces jobs; its Redis connection fails fast so that a Redis outage never
  // hangs a request (Postgres already holds the work).
  const redis = createRedis(config.redis, "producer");
  let redisTrouble: Error | undefined;
  redis.on("error", (error) => {
    redisTrouble = error;
    logger.warn({ err: error.message }, "redis connection error");
  });
  redis.on("ready", () => (redisTrouble = undefined));
  const queues = new JobQueues(redis, config.queuePrefix);
  // `hookline listen` streams: requests from workers arrive on this process's subscriber connection.
  const listenSubscriber = createRedis(config.redis, "worker");
  listenSubscriber.on("error", (error) => logger.warn({ err: error.message }, "redis subscriber connection error"));
  const listenHub = new ListenHub(redis, listenSubscriber, config.queuePrefix);
  const scheduler = new Scheduler({ queues, logger, enqueueFailureRate: config.api.faultEnqueueFailureRate });
  const { tracing } = options;
  const publisher = createPublisher({ db, scheduler, idempotencyWindowMs: config.api.idempotencyWindowMs, tracing });
  const { http, tokens } = createOutbound({
    responseBodyMaxBytes: config.delivery.responseBodyMaxBytes,
    maxInFlight: config.delivery.concurrency,
    allowPrivateTargets: config.delivery.allowPrivateTargets,
    resolve: options.resolve,
  });
  const engine = createDeliveryEngine({
    logger,
    policy: config.delivery,
    work: createWorkStore(db),
    http,
    tokens,
    operationalEvents: publisher.operationalEvents,
    waiting: scheduler,
    tracing,
  });
  // Tenant code runs in worker threads of this process, each with its own QuickJS (WebAssembly)
  // module; the threads start with the first workflow call or save, not with the API.
  const sandbox = lazySandboxPool({
    threads: config.inbound.sandboxThreads,
    maxPerTenant: config.inbound.sandboxThreadsPerTenant,
    limits: config.inbound.limits,
    maxQueuedPerTenant: config.inbound.maxQueuedPerTenant,
    logger,
  });
  const inbound = createInboundService({
    db,
    publisher,
    sandbox,
    limits: config.inbound.limits,
    http,
    fetchResponseMaxBytes: config.inbound.limits.fetchResponseBytes,
    logger,
    tracing,
  });
  const integrations = createIntegrationService({
    db,
    sandbox,
    scheduler,
    hostOptions: { publisher, http, fetchResponseMaxBytes: config.inbound.limits.fetchResponseBytes, logger },
    logger,
    tracing,
    compile: (source) => inbound.compile(source),
  });
  const app = createApp({
    config,
    logger,
    db,
    scheduler,
    queues,
    publisher,
    redis,
    engine,
    inbound,
    integrations,
    listenHub,
    onContractViolation: options.onContractViolation,
    tracing,
    readiness: () => checkDependencies(db, redis, () => redisTrouble),
  });
  const server = createServer(app);
  // Keep-alive longer than common load balancers' idle timeouts, so they close first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.api.port, config.api.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.api.host === "0.0.0.0" || config.api.host === "::" ? "127.0.0.1" : config.api.host;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    server,
    async stop() {
      // Listening CLIs are told to go first (they reconnect elsewhere); their endpoints are paused.
      await listenHub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A response its client never reads keeps its connection busy: cut it after a grace.
        setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
      });
      // Executions of the calls just answered are written before the database goes.
      await inbound.close();
      await sandbox.close();
      await queues.close();
      listenSubscriber.disconnect();
      redis.disconnect();
      http.close();
      await db.close();
    },
  };
}
