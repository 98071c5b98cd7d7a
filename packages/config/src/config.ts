import { availableParallelism } from "node:os";
import { developmentEncryptionKey } from "./development-key.js";
import { ConfigError, EnvReader, type Env } from "./env-parsers.js";
import { queuePrefix, redisSettings, type RedisSettings } from "./redis.js";
import { allowedTargets, encryptionKey } from "./security.js";
import { tracingConfig, type TracingConfig } from "./tracing.js";

/** `none`: DATABASE_URL is Postgres itself, or a pooler in session mode; `transaction`: a pooler in transaction mode (PgBouncer's `pool_mode = transaction`). */
export type DatabasePooler = "none" | "transaction";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface Config {
  readonly env: "development" | "production" | "test";
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** Bearer token for the admin routes (creating tenants). Unset: the admin routes answer 401. */
    readonly adminToken: string | undefined;
    /** Largest request body accepted, in bytes; larger bodies get 413. */
    readonly maxBodyBytes: number;
    /** How long a publish idempotency key answers with its first event. */
    readonly idempotencyWindowMs: number;
    /** Test-only fault injection: the share of enqueues after commit that fail on purpose. */
    readonly faultEnqueueFailureRate: number;
    /** Requests per second one tenant may make, shared by every API process; 0 turns it off. */
    readonly rateLimitPerSecond: number;
    /** Benchmark only: `POST /bench/hello` answers "hello world" with nothing in between, the ceiling of an inbound call. */
    readonly benchHelloRoute: boolean;
    /** API processes sharing the port (API_PROCESSES): more than one runs a cluster primary that forks them. */
    readonly processes: number;
    /** How long a dashboard sign-in lasts (DASHBOARD_SESSION_HOURS). */
    readonly dashboardSessionSeconds: number;
  };
  /** AES-256-GCM key for endpoint secrets at rest. */
  readonly encryptionKey: Buffer;
  /** Postgres for the API's and the workers' queries: Postgres itself, or a connection pooler in front of it. */
  readonly databaseUrl: string;
  /**
   * What DATABASE_URL reaches: Postgres (or a pooler in session mode), or a pooler in transaction
   * mode, where a connection is ours only for one transaction, so no statement is prepared by name
   * and no session setting is made (docs/DECISIONS.md, "Behind a transaction pooler").
   */
  readonly databasePooler: DatabasePooler;
  /** Postgres without a pooler, for migrations (they hold a session-level lock); unset: DATABASE_URL. */
  readonly databaseDirectUrl: string | undefined;
  /** The queue's Redis: one server (REDIS_URL), a cluster (REDIS_CLUSTER_NODES) or a sentinel-watched primary (REDIS_SENTINELS). */
  readonly redis: RedisSettings;
  /**
   * Prefix of every BullMQ key, so that several installations (or test files) share one Redis.
   * On a cluster it is a hash tag (`{hookline}`), so that each queue's keys share a slot.
   */
  readonly queuePrefix: string;
  readonly logLevel: LogLevel;
  /**
   * How long a starting process waits for Postgres and Redis to answer before it gives up, says
   * which one and exits (STARTUP_TIMEOUT_SECONDS): time for services started alongside it.
   */
  readonly startupTimeoutMs: number;
  readonly delivery: {
    /** Deliveries one worker process attempts at the same time. */
    readonly concurrency: number;
    /** The per-endpoint gate of each worker process (EndpointGate in @hookline/delivery-engine). */
    readonly gate: {
      /** Attempts one worker process runs at once to one endpoint. */
      readonly maxInFlight: number;
      /** The same while the endpoint is slow (`slowAfterMs` or more), and where a new endpoint starts. */
      readonly slowMaxInFlight: number;
      readonly slowAfterMs: number;
      /** Failed attempts in a row (in one worker process) after which an endpoint is probed, not flooded. */
      readonly failingAfter: number;
      /** A failing endpoint gets at most one attempt this often in each worker process. */
      readonly probeSpacingMs: number;
    };
    readonly retry: {
      /** Seconds to wait after attempt 1, 2, …; its length + 1 is the number of attempts. */
      readonly scheduleSeconds: readonly number[];
      /** Each wait is spread by ± this fraction. */
      readonly jitter: number;
      /** A receiver's Retry-After can delay the next attempt by at most this. */
      readonly retryAfterMaxSeconds: number;
    };
    /** Response bytes kept in the attempt log. */
    readonly responseBodyMaxBytes: number;
    /** An endpoint whose attempts have all failed for this long is disabled. */
    readonly disableFailingEndpointAfterMs: number;
    /** Private addresses (IPs or CIDRs) that deliveries may reach anyway; empty by default. */
    readonly allowPrivateTargets: readonly string[];
  };
  readonly worker: {
    /** Run even when Redis may evict keys (jobs would silently vanish). Off by default. */
    readonly allowEvictingRedis: boolean;
    /** How long SIGTERM waits for in-flight deliveries before the process exits anyway. */
    readonly shutdownTimeoutMs: number;
    /** Port of the worker's health endpoint (GET /healthz); unset: no health server. */
    readonly healthPort: number | undefined;
    /** Unhealthy when jobs are waiting but none has started for this long. */
    readonly stallTimeoutMs: number;
    /** Integration flows one worker process runs at the same time (each takes a sandbox thread while it computes). */
    readonly flowConcurrency: number;
    /**
     * How long a worker's hold on a flow job lasts without renewal (renewed at half of it while the
     * flow runs): a worker killed mid-flow gives the job up after about this long, and another runs it again.
     */
    readonly flowLockMs: number;
  };
  /** Inbound endpoints and the sandbox their workflows run in. */
  readonly inbound: {
    /** Where inbound endpoint URLs start (PUBLIC_URL); unset: the address each request came to. */
    readonly publicUrl: string | undefined;
    /** Worker threads running workflows in the API process. */
    readonly sandboxThreads: number;
    /** Threads one tenant's workflows may occupy at once (a workflow awaiting a slow fetch holds its thread). */
    readonly sandboxThreadsPerTenant: number;
    /** Calls of one tenant that may wait for a sandbox thread; more are answered 503 at once. */
    readonly maxQueuedPerTenant: number;
    readonly limits: {
      /** Time running the tenant's code per call (not counting awaited host calls). */
      readonly cpuMs: number;
      /** The whole call, awaited fetches and publishes included. */
      readonly wallMs: number;
      readonly memoryBytes: number;
      readonly stackBytes: number;
      /** Execution log kept per call; the rest is dropped with a marker. */
      readonly logBytes: number;
      /** Largest response body a workflow may answer with. */
      readonly responseBytes: number;
      /** `utils.fetch` calls per call. */
      readonly fetchCount: number;
      /** Largest response body `utils.fetch` hands back. */
      readonly fetchResponseBytes: number;
    };
  };
  readonly retention: {
    /** Days of history kept for tenants without their own `retention_days`. */
    readonly defaultDays: number;
    /** How often each worker purges expired history and prepares the coming days' partitions. */
    readonly intervalMs: number;
    /** Rows deleted per statement: small enough that no statement holds its locks for long. */
    readonly batchSize: number;
    /**
     * Share of its running time the row purge spends in statements: after a batch that took t, it
     * waits t × (100 / percent − 1), so it yields to live traffic and slows down on a busy database.
     */
    readonly dutyPercent: number;
    /** Days of attempt partitions created ahead of today. */
    readonly partitionsAheadDays: number;
  };
  readonly sweeper: {
    /** How often each worker looks for due deliveries that have no job. */
    readonly intervalMs: number;
    /** How long past due a delivery must be before the sweeper treats its job as lost. */
    readonly graceMs: number;
  };
  /** OpenTelemetry traces from the OTEL_* variables; off unless they ask for it (see tracing.ts). */
  readonly tracing: TracingConfig;
}

/** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over 27.6 hours. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/hookline";

function faultRate(read: EnvReader, env: Env): number {
  const raw = env.FAULT_ENQUEUE_FAILURE_RATE;
  if (raw === undefined || raw === "") return 0;
  if (env.NODE_ENV === "production") {
    read.problems.push("FAULT_ENQUEUE_FAILURE_RATE is for tests and is refused when NODE_ENV=production");
    return 0;
  }
  const rate = Number(raw);
  if (!(rate >= 0 && rate <= 1)) {
    read.problems.push(`FAULT_ENQUEUE_FAILURE_RATE must be a number from 0 to 1 (got "${raw}")`);
    return 0;
  }
  return rate;
}

/** Reads and validates the whole configuration at once; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);
  // At least two: a tenant awaiting a slow fetch holds its thread, and must not hold the only one.
  const sandboxThreads = read.int("SANDBOX_THREADS", Math.max(2, availableParallelism()), { min: 1, max: 64 });
  const redis = redisSettings(read);
  const config: Config = {
    env: read.oneOf("NODE_ENV", "development", ["development", "production", "test"] as const),
    api: {
      host: read.string("HOST", "0.0.0.0"),
      port: read.int("PORT", 3000, { min: 0, max: 65535 }),
      adminToken: read.optionalString("ADMIN_TOKEN", { minLength: 16 }),
      maxBodyBytes: read.int("MAX_BODY_BYTES", 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
      faultEnqueueFailureRate: faultRate(read, env),
      idempotencyWindowMs: read.seconds("IDEMPOTENCY_WINDOW_SECONDS", 24 * 3600, { min: 1, max: 30 * 24 * 3600 }) * 1000,
      rateLimitPerSecond: read.int("RATE_LIMIT_PER_SECOND", 500, { min: 0, max: 1_000_000 }),
      benchHelloRoute: read.bool("BENCH_HELLO_ROUTE", false),
      processes: read.int("API_PROCESSES", 1, { min: 1, max: 64 }),
      dashboardSessionSeconds: read.int("DASHBOARD_SESSION_HOURS", 12, { min: 1, max: 24 * 30 }) * 3600,
    },
    encryptionKey: encryptionKey(read, env.ENCRYPTION_KEY, env.NODE_ENV === "production"),
    databaseUrl: read.url("DATABASE_URL", DEFAULT_DATABASE_URL, ["postgres:", "postgresql:"]),
    databasePooler: read.oneOf("DATABASE_POOLER", "none", ["none", "transaction"] as const),
    databaseDirectUrl: read.optionalUrl("DATABASE_DIRECT_URL", ["postgres:", "postgresql:"]),
    redis,
    queuePrefix: queuePrefix(read, redis),
    logLevel: read.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
    startupTimeoutMs: read.seconds("STARTUP_TIMEOUT_SECONDS", 30, { min: 0, max: 3600 }) * 1000,
    delivery: {
      concurrency: read.int("WORKER_CONCURRENCY", 100, { min: 1, max: 1000 }),
      gate: {
        maxInFlight: read.int("ENDPOINT_MAX_IN_FLIGHT", 10, { min: 1, max: 1000 }),
        slowMaxInFlight: read.int("SLOW_ENDPOINT_MAX_IN_FLIGHT", 2, { min: 1, max: 1000 }),
        slowAfterMs: read.seconds("SLOW_ENDPOINT_SECONDS", 1, { min: 0.01, max: 120 }) * 1000,
        failingAfter: read.int("FAILING_ENDPOINT_AFTER", 3, { min: 1, max: 1000 }),
        probeSpacingMs: read.seconds("FAILING_ENDPOINT_PROBE_SECONDS", 0.5, { min: 0.01, max: 300 }) * 1000,
      },
      retry: {
        scheduleSeconds: read.secondsList("RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE),
        jitter: 0.2,
        retryAfterMaxSeconds: read.int("RETRY_AFTER_MAX_SECONDS", 3600, { min: 1, max: 7 * 24 * 3600 }),
      },
      responseBodyMaxBytes: 4096,
      disableFailingEndpointAfterMs: read.seconds("ENDPOINT_DISABLE_AFTER_SECONDS", 5 * 24 * 3600, { min: 0, max: 365 * 24 * 3600 }) * 1000,
      allowPrivateTargets: allowedTargets(read),
    },
    worker: {
      allowEvictingRedis: read.bool("ALLOW_EVICTING_REDIS", false),
      shutdownTimeoutMs: read.seconds("SHUTDOWN_TIMEOUT_SECONDS", 30, { min: 0, max: 3600 }) * 1000,
      healthPort: read.optionalInt("WORKER_HEALTH_PORT", { min: 0, max: 65535 }),
      stallTimeoutMs: read.seconds("WORKER_STALL_SECONDS", 120, { min: 1, max: 86400 }) * 1000,
      flowConcurrency: read.int("FLOW_CONCURRENCY", 8, { min: 1, max: 1000 }),
      flowLockMs: read.seconds("FLOW_LOCK_SECONDS", 30, { min: 1, max: 3600 }) * 1000,
    },
    inbound: {
      publicUrl: read.optionalUrl("PUBLIC_URL", ["http:", "https:"]),
      sandboxThreads,
      sandboxThreadsPerTenant: read.int("SANDBOX_THREADS_PER_TENANT", Math.ceil(sandboxThreads / 2), { min: 1, max: sandboxThreads }),
      maxQueuedPerTenant: read.int("SANDBOX_QUEUE_PER_TENANT", 100, { min: 1, max: 100_000 }),
      limits: {
        cpuMs: read.int("WORKFLOW_CPU_MS", 50, { min: 1, max: 60_000 }),
        wallMs: read.int("WORKFLOW_TIMEOUT_MS", 5_000, { min: 10, max: 300_000 }),
        memoryBytes: read.int("WORKFLOW_MEMORY_MB", 64, { min: 16, max: 1024 }) * 1024 * 1024,
        stackBytes: 256 * 1024,
        logBytes: read.int("WORKFLOW_LOG_BYTES", 64 * 1024, { min: 1024, max: 16 * 1024 * 1024 }),
        responseBytes: read.int("WORKFLOW_RESPONSE_BYTES", 5 * 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
        fetchCount: read.int("WORKFLOW_FETCH_MAX", 10, { min: 0, max: 1000 }),
        fetchResponseBytes: read.int("WORKFLOW_FETCH_RESPONSE_BYTES", 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
      },
    },
    retention: {
      defaultDays: read.int("RETENTION_DAYS", 30, { min: 1, max: 3650 }),
      intervalMs: read.seconds("RETENTION_INTERVAL_SECONDS", 300, { min: 0.05, max: 86400 }) * 1000,
      batchSize: read.int("RETENTION_BATCH_SIZE", 1000, { min: 1, max: 100_000 }),
      dutyPercent: read.int("RETENTION_DUTY_PERCENT", 10, { min: 1, max: 100 }),
      partitionsAheadDays: read.int("PARTITIONS_AHEAD_DAYS", 7, { min: 1, max: 90 }),
    },
    sweeper: {
      intervalMs: read.seconds("SWEEP_INTERVAL_SECONDS", 10, { min: 0.05, max: 3600 }) * 1000,
      graceMs: read.seconds("SWEEP_GRACE_SECONDS", 30, { min: 0, max: 86400 }) * 1000,
    },
    tracing: tracingConfig(read, env),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/**
 * Where migrations run: DATABASE_DIRECT_URL, else DATABASE_URL. The migrator holds a session-level
 * advisory lock while it works, which a pooler in transaction mode would leave on whichever server
 * connection took it, so behind one the direct URL is required.
 */
export function migrationsDatabaseUrl(config: Pick<Config, "databaseUrl" | "databasePooler" | "databaseDirectUrl">): string {
  if (config.databaseDirectUrl !== undefined) return config.databaseDirectUrl;
  if (config.databasePooler === "transaction") {
    throw new ConfigError([
      "DATABASE_DIRECT_URL must reach Postgres without the pooler when DATABASE_POOLER=transaction (migrations hold a session-level lock)",
    ]);
  }
  return config.databaseUrl;
}

/**
 * For a process's entry point: the configuration, or a clear message on stderr and exit 1. Outside
 * production a missing ENCRYPTION_KEY is generated once and kept in a file, with a warning.
 */
export function loadConfigOrExit(processName: string, env: Env = process.env): Config {
  try {
    const needsKey = env.NODE_ENV !== "production" && (env.ENCRYPTION_KEY ?? "").trim() === "";
    return loadConfig(needsKey ? { ...env, ENCRYPTION_KEY: developmentEncryptionKey(processName, env) } : env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${processName}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
