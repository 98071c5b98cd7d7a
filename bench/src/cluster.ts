import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { QUEUES } from "@hookline/queue";
import { connectDatabase, MIGRATIONS_DIR, purgeDeletedEndpoints, runMigrations } from "@hookline/db";
import { freePort, jsonClient, spawnTsProcess, waitForHttp, type JsonRequest, type SpawnedProcess } from "@hookline/testing";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ADMIN_TOKEN = "bench-admin-token-0123456789";

export interface BenchSettings {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly workers: number;
  /** API processes on the one port (API_PROCESSES); 1 when unset. */
  readonly apiProcesses?: number;
  readonly workerConcurrency: number | undefined;
  /** Endpoint timeout of every benchmark endpoint (the hanging ones hold a request this long). */
  readonly endpointTimeoutSeconds: number;
  readonly retrySchedule: string;
}

interface Process {
  readonly name: string;
  readonly child: ChildProcess;
  readonly metricsUrl: string;
  readonly stderr: string[];
}

/** The API and workers from their build output, as `npm start` runs them, plus the receiver. */
export class BenchCluster {
  apiUrl = "";
  receiverUrl = "";
  admin!: JsonRequest;
  readonly processes: Process[] = [];
  private receiver!: SpawnedProcess;

  private constructor(
    readonly settings: BenchSettings,
    readonly queuePrefix: string,
  ) {}

  static async start(settings: BenchSettings): Promise<BenchCluster> {
    await recreateDatabase(settings.databaseUrl);
    await runMigrations(settings.databaseUrl, MIGRATIONS_DIR);
    const cluster = new BenchCluster(settings, `bench${process.pid}`);
    const receiverPort = await freePort();
    cluster.receiver = spawnTsProcess(fileURLToPath(new URL("./receiver-main.ts", import.meta.url)), { PORT: String(receiverPort) });
    await cluster.receiver.waitFor("bench receiver listening");
    cluster.receiverUrl = `http://127.0.0.1:${receiverPort}`;

    const apiPort = await freePort();
    cluster.apiUrl = `http://127.0.0.1:${apiPort}`;
    cluster.launch(
      "api",
      "apps/api/dist/main.js",
      { PORT: String(apiPort), HOST: "127.0.0.1", BENCH_HELLO_ROUTE: "true", API_PROCESSES: String(settings.apiProcesses ?? 1) },
      `${cluster.apiUrl}/metrics`,
    );
    await waitForHttp(`${cluster.apiUrl}/healthz`);
    for (let i = 0; i < settings.workers; i++) {
      const port = await freePort();
      cluster.launch(
        `worker ${i + 1}`,
        "apps/worker/dist/main.js",
        { WORKER_HEALTH_PORT: String(port) },
        `http://127.0.0.1:${port}/metrics`,
      );
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    }
    cluster.admin = jsonClient(cluster.apiUrl, ADMIN_TOKEN);
    return cluster;
  }

  private launch(name: string, entry: string, extra: Record<string, string>, metricsUrl: string): void {
    const { settings } = this;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "production",
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      ADMIN_TOKEN,
      ENCRYPTION_KEY: Buffer.alloc(32, 11).toString("base64"),
      ALLOW_PRIVATE_TARGETS: "127.0.0.1",
      // The benchmark measures the engine, not the API's per-tenant budget.
      RATE_LIMIT_PER_SECOND: "0",
      RETRY_SCHEDULE: settings.retrySchedule,
      // The purge runs when the purge scenario (S10) says, from the driver, with the workers' code.
      RETENTION_INTERVAL_SECONDS: "86400",
      ...(settings.workerConcurrency !== undefined && { WORKER_CONCURRENCY: String(settings.workerConcurrency) }),
      // BENCH_ENV_X=y runs the API and workers with X=y, for experiments.
      ...Object.fromEntries(
        Object.entries(process.env)
          .filter(([name]) => name.startsWith("BENCH_ENV_"))
          .map(([name, value]) => [name.slice("BENCH_ENV_".length), value ?? ""]),
      ),
      ...extra,
    };
    // Logs go where production logs go: written in full, here to /dev/null.
    // BENCH_NODE_ARGS: extra Node flags for the API and workers (say, --cpu-prof for a profile).
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, `${ROOT}${entry}`], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
    this.processes.push({ name, child, metricsUrl, stderr });
  }

  /** Event-loop delay of each process since the last call (prom-client resets it on each read). */
  async eventLoopDelay(): Promise<Record<string, { p99Ms: number; maxMs: number }>> {
    const out: Record<string, { p99Ms: number; maxMs: number }> = {};
    for (const p of this.processes) {
      const response = await fetch(p.metricsUrl, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const text = await response.text();
      const read = (metric: string) => Number(new RegExp(`^${metric} ([\\d.e+-]+)`, "m").exec(text)?.[1] ?? Number.NaN) * 1000;
      out[p.name] = { p99Ms: read("nodejs_eventloop_lag_p99_seconds"), maxMs: read("nodejs_eventloop_lag_max_seconds") };
    }
    return out;
  }

  /**
   * CPU seconds used so far by each part of the system, from /proc: the API (with the processes
   * its cluster primary forked), the workers, the receiver, this driver, and every postgres and
   * redis-server process on the machine.
   */
  cpuSeconds(): Record<string, number> {
    const ticksPerSecond = 100;
    const named = new Map<number, string>(this.processes.map((p) => [p.child.pid ?? -1, p.name.startsWith("worker") ? "workers" : p.name]));
    named.set(this.receiver.child.pid ?? -1, "receiver");
    named.set(process.pid, "driver");
    const out: Record<string, number> = {};
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue;
      }
      const comm = /\((.*)\)/.exec(stat)?.[1] ?? "";
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // An API process forked by the API's cluster primary (API_PROCESSES > 1) counts as the API.
      const parent = named.get(Number(fields[1]));
      const name =
        named.get(Number(entry)) ??
        (parent === "api" ? "api" : comm === "postgres" ? "postgres" : comm.startsWith("redis-server") ? "redis" : undefined);
      // utime + stime, and for the services also cutime + cstime: a Postgres backend that exits
      // (a pooled connection closed when idle) hands its CPU time to the postmaster's children
      // total, so the sum stays monotonic.
      const own = Number(fields[11]) + Number(fields[12]);
      const children = name === "postgres" || name === "redis" ? Number(fields[13]) + Number(fields[14]) : 0;
      const seconds = (own + children) / ticksPerSecond;
      if (name) out[name] = (out[name] ?? 0) + seconds;
    }
    return out;
  }

  /**
   * Between scenarios: the retired endpoints' rows are gone, so their queued jobs would only be
   * skipped; remove them, let the active ones finish, and vacuum what the cascade deleted, so
   * that no scenario pays for the one before it.
   */
  async settle(): Promise<void> {
    const connection = new Redis(this.settings.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.deliveries, { connection, prefix: this.queuePrefix });
    try {
      await queue.drain(true);
      const deadline = Date.now() + 60_000;
      while ((await queue.getActiveCount()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await queue.close();
      connection.disconnect();
    }
    // Retired endpoints are deleted in the background by the workers; finished here, so that the
    // deletion of their deliveries does not run into the next scenario's figures.
    const db = connectDatabase({ url: this.settings.databaseUrl, encryptionKey: Buffer.alloc(32), poolMax: 2 });
    try {
      while ((await purgeDeletedEndpoints(db, { limit: 100 })) > 0);
    } finally {
      await db.close();
    }
    // VACUUM without ANALYZE: statistics taken of a just-emptied table would tell the planner that
    // deliveries is tiny, and it would scan it whole until autovacuum re-analyzed it mid-scenario.
    await this.sql("VACUUM events, deliveries, attempts, idempotency_keys");
  }

  /**
   * After a warm-up: statistics of the tables as they are in the steady state. Tables that were
   * just emptied or created are planned as tiny (seq scans, also in the cached plans of foreign
   * key checks) until autovacuum analyzes them, which can take a minute of the measurement.
   */
  async analyze(): Promise<void> {
    await this.sql("ANALYZE events, deliveries, attempts, endpoints, subscriptions");
  }

  /**
   * A phase's warm-up, with the tables analyzed two thirds of the way through: the ANALYZE's
   * reads and the plans every connection makes again after it fall in the warm-up, not in the
   * measured window's first second (which set a full run's S2 p99 at 50%: docs/PERFORMANCE.md).
   */
  async warmUp(warmupMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, (warmupMs * 2) / 3));
    await this.analyze();
    await new Promise((resolve) => setTimeout(resolve, warmupMs / 3));
  }

  /**
   * Where first attempts of events published since `sinceMs` spent their time, from the tables:
   * publish call to the event's insert (the API: request, lookups, waiting for its group),
   * insert to the attempt's start (commit, enqueue, queue wait, the worker's read), and the
   * attempt itself (the request to the receiver). Millisecond timestamps, so p50s of a few ms are
   * coarse; the tails are what this is for.
   */
  async stages(
    sinceMs: number,
    excludeEndpointIds: readonly string[] = [],
  ): Promise<Record<"publish to insert" | "insert to attempt" | "attempt", { p50: number; p99: number }>> {
    const [row] = await this.sql<Record<string, number | null>>(
      `WITH s AS (
         SELECT extract(epoch FROM e.created_at) * 1000 - (e.data->>'sent_at')::float8 AS api,
                extract(epoch FROM a.started_at - e.created_at) * 1000 AS queue,
                a.duration_ms AS attempt
         FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
         WHERE a.attempt_number = 1 AND (e.data->>'sent_at')::float8 >= $1 AND NOT d.endpoint_id = ANY($2::text[]))
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY api) AS api50, percentile_cont(0.99) WITHIN GROUP (ORDER BY api) AS api99,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY queue) AS queue50, percentile_cont(0.99) WITHIN GROUP (ORDER BY queue) AS queue99,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY attempt) AS attempt50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY attempt) AS attempt99
       FROM s`,
      [sinceMs, excludeEndpointIds],
    );
    const pair = (p50: number | null | undefined, p99: number | null | undefined) => ({
      p50: Number(p50 ?? Number.NaN),
      p99: Number(p99 ?? Number.NaN),
    });
    return {
      "publish to insert": pair(row?.api50, row?.api99),
      "insert to attempt": pair(row?.queue50, row?.queue99),
      attempt: pair(row?.attempt50, row?.attempt99),
    };
  }

  /**
   * The insert-to-attempt stage second by second (by the event's insert): whether its tail is a
   * few stalls (some seconds far worse than the rest) or spread evenly (every second a little).
   * Each second's p99 and count, in order.
   */
  async queueTimeline(sinceMs: number): Promise<{ second: number; p99: number; count: number }[]> {
    const rows = await this.sql<{ second: string; p99: number; count: string }>(
      `SELECT floor(extract(epoch FROM e.created_at))::bigint AS second,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.started_at - e.created_at) * 1000) AS p99,
              count(*) AS count
       FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
       WHERE a.attempt_number = 1 AND (e.data->>'sent_at')::float8 >= $1
       GROUP BY 1 ORDER BY 1`,
      [sinceMs],
    );
    return rows.map((row) => ({ second: Number(row.second), p99: Number(row.p99), count: Number(row.count) }));
  }

  /** One statement on a connection of its own (VACUUM cannot run inside a pool's transaction). */
  async sql<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: this.settings.databaseUrl });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the worker processes. */
  signalWorkers(signal: "SIGSTOP" | "SIGCONT"): void {
    for (const p of this.processes) if (p.name.startsWith("worker")) p.child.kill(signal);
  }

  async stop(): Promise<void> {
    this.signalWorkers("SIGCONT");
    await Promise.all(
      this.processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null) return resolve();
            p.child.once("exit", () => resolve());
            p.child.kill("SIGTERM");
            setTimeout(() => p.child.kill("SIGKILL"), 15_000).unref();
          }),
      ),
    );
    await this.receiver.stop();
    await this.purgeQueueKeys();
  }

  /** Every Redis key of this run (S5 leaves its paused jobs, the ceiling its own queue): gone. */
  private async purgeQueueKeys(): Promise<void> {
    const redis = new Redis(this.settings.redisUrl, { maxRetriesPerRequest: null });
    try {
      for (const pattern of [`${this.queuePrefix}:*`, `${this.queuePrefix}-ceiling:*`]) {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== "0");
      }
    } finally {
      redis.disconnect();
    }
  }

  crashed(): string | undefined {
    const dead = this.processes.find((p) => p.child.exitCode !== null && p.child.exitCode !== 0);
    return dead ? `${dead.name} exited ${dead.child.exitCode}: ${dead.stderr.join("").slice(-2000)}` : undefined;
  }
}

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}
