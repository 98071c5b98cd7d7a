import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDatabaseExists, MIGRATIONS_DIR, runMigrations } from "@hookline/db";
import {
  freePort,
  jsonClient,
  queryRows,
  spawnTsProcess,
  startPostgresServer,
  startRedisServer,
  waitForHttp,
  type JsonRequest,
  type PostgresServer,
  type QueueRedis,
  type RedisServer,
  type SpawnedProcess,
} from "@hookline/testing";

const entry = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const API_MAIN = entry("apps/api/src/main.ts");
const WORKER_MAIN = entry("apps/worker/src/main.ts");
const RECEIVER_MAIN = fileURLToPath(new URL("./receiver-main.ts", import.meta.url));
const ADMIN_TOKEN = "chaos-admin-token-0123456789";

export interface ClusterOptions {
  readonly workers?: number;
  /** Postgres on a filesystem of this size of its own (a tmpfs; root only), for the disk-full scenario. */
  readonly pgDiskMegabytes?: number;
  readonly receivers?: number;
  readonly receiverDelayMs?: number;
  readonly apiEnv?: Record<string, string>;
  readonly workerEnv?: Record<string, string>;
}

interface Seen {
  requests: number;
  events: Record<string, Record<string, number>>;
}

export interface Verdict {
  readonly events: number;
  readonly receivers: number;
  /** Event ids some receiver never got. */
  readonly missing: string[];
  /** (receiver, event) pairs delivered under more than one webhook-id. */
  readonly splitIdentities: number;
  /** Requests beyond one per delivery: the at-least-once repeats. */
  readonly duplicates: number;
}

/**
 * Everything of one chaos scenario as separate processes on loopback: its own Postgres and Redis
 * (never the shared services; one server, or a cluster or sentinels: `startWith`), the API,
 * workers and receivers. Faults are injected by process.
 */
export class Cluster<R extends QueueRedis = RedisServer> {
  readonly workers: SpawnedProcess[] = [];
  readonly receivers: { process: SpawnedProcess; url: string }[] = [];
  api!: SpawnedProcess;
  apiUrl = "";
  /** The chaos tenant's API key, and requests made with it. */
  apiKey = "";
  request!: JsonRequest;
  private apiEnv: Record<string, string> = {};
  private workerEnv: Record<string, string> = {};

  private constructor(
    readonly pg: PostgresServer,
    readonly redis: R,
    readonly databaseUrl: string,
  ) {}

  /** Hookline's keys begin with this: QUEUE_PREFIX as the configuration makes it (a hash tag on a cluster). */
  get keyPrefix(): string {
    return this.redis.env.REDIS_CLUSTER_NODES ? "{chaos}" : "chaos";
  }

  /** On one Redis server of its own. */
  static start(options: ClusterOptions = {}): Promise<Cluster> {
    return Cluster.startWith(() => startRedisServer(["--maxmemory-policy", "noeviction"]), options);
  }

  /** On the Redis `startRedis` makes; if anything fails to start, what did start is stopped. */
  static async startWith<R extends QueueRedis>(startRedis: () => Promise<R>, options: ClusterOptions = {}): Promise<Cluster<R>> {
    const [pg, redis] = await Promise.allSettled([startPostgresServer({ diskMegabytes: options.pgDiskMegabytes }), startRedis()]);
    if (pg.status === "rejected" || redis.status === "rejected") {
      await Promise.allSettled([pg.status === "fulfilled" && pg.value.destroy(), redis.status === "fulfilled" && redis.value.destroy()]);
      throw pg.status === "rejected" ? pg.reason : (redis as PromiseRejectedResult).reason;
    }
    const databaseUrl = pg.value.url.replace(/\/postgres$/, "/hookline");
    const cluster = new Cluster(pg.value, redis.value, databaseUrl);
    try {
      await cluster.boot(options);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  private async boot(options: ClusterOptions): Promise<void> {
    await ensureDatabaseExists(this.databaseUrl);
    await runMigrations(this.databaseUrl, MIGRATIONS_DIR);
    const shared = { DATABASE_URL: this.databaseUrl, ...this.redis.env, QUEUE_PREFIX: "chaos", LOG_LEVEL: "info" };

    for (let i = 0; i < (options.receivers ?? 2); i++) {
      const port = await freePort();
      const receiver = spawnTsProcess(RECEIVER_MAIN, { PORT: String(port), DELAY_MS: String(options.receiverDelayMs ?? 0) });
      this.receivers.push({ process: receiver, url: `http://127.0.0.1:${port}` });
      await receiver.waitFor("receiver listening");
    }

    const apiPort = await freePort();
    this.apiEnv = {
      ...shared,
      PORT: String(apiPort),
      HOST: "127.0.0.1",
      ADMIN_TOKEN,
      LOG_LEVEL: "warn",
      ...options.apiEnv,
    };
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    await this.startApi();

    this.workerEnv = {
      ...shared,
      WORKER_CONCURRENCY: "25",
      RETRY_SCHEDULE: "1,2,4,8,15,30,30",
      SWEEP_INTERVAL_SECONDS: "1",
      SWEEP_GRACE_SECONDS: "3",
      SHUTDOWN_TIMEOUT_SECONDS: "20",
      ...options.workerEnv,
    };
    await Promise.all(Array.from({ length: options.workers ?? 2 }, () => this.startWorker()));

    const tenant = await jsonClient(this.apiUrl, ADMIN_TOKEN)<{ api_key: string }>("POST", "/v1/tenants", { body: { name: "chaos" } });
    this.apiKey = tenant.body.api_key;
    this.request = jsonClient(this.apiUrl, this.apiKey);
    for (const receiver of this.receivers) {
      const endpoint = await this.request<{ id: string }>("POST", "/v1/endpoints", {
        body: { name: "r", url: receiver.url, timeout_seconds: 10 },
      });
      await this.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["chaos.*"] } });
    }
  }

  /** The API on its port, as at the start: again after it was stopped, to take over its clients. */
  async startApi(): Promise<void> {
    this.api = spawnTsProcess(API_MAIN, this.apiEnv);
    await waitForHttp(`${this.apiUrl}/healthz`);
  }

  async startWorker(): Promise<SpawnedProcess> {
    const worker = spawnTsProcess(WORKER_MAIN, this.workerEnv);
    let timer: NodeJS.Timeout | undefined;
    try {
      // A worker that cannot reach its Redis waits for it forever: that is a failed start here.
      await Promise.race([
        worker.waitFor("Hookline worker ready"),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`worker not ready within 60 s:\n${worker.lines.slice(-20).join("\n")}`)), 60_000);
        }),
      ]);
    } catch (error) {
      await worker.stop("SIGKILL");
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.workers.push(worker);
    return worker;
  }

  /** `kill -9` of one worker, by process id. */
  killWorker(worker: SpawnedProcess): Promise<number | null> {
    return worker.stop("SIGKILL");
  }

  /**
   * Publishes `count` events, `lanes` at a time, as a careful client would: each has an
   * idempotency key, and a failed or 5xx answer is retried with the same key. `during` runs
   * when `at` of them have been accepted. Returns the event ids and every status seen.
   */
  async publish(count: number, faults: { at: number; run: () => Promise<void> }[] = [], lanes = 8) {
    const ids: string[] = [];
    const statuses = new Map<number, number>();
    const pendingFaults = [...faults].sort((a, b) => a.at - b.at);
    const running: Promise<void>[] = [];
    let next = 0;
    let accepted = 0;
    const lane = async () => {
      for (let i = next++; i < count; i = next++) {
        const key = `chaos-${i}`;
        for (let attempt = 0; ; attempt++) {
          let status = 0;
          let id: string | undefined;
          try {
            const response = await this.request<{ id: string }>("POST", "/v1/events", {
              body: { event_type: "chaos.event", data: { i }, idempotency_key: key },
            });
            status = response.status;
            id = response.body?.id;
          } catch {
            status = 0; // connection refused or reset
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 202 && id) {
            ids.push(id);
            break;
          }
          if (attempt > 300) throw new Error(`event ${i} not accepted after ${attempt} tries (last status ${status})`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        accepted++;
        while (pendingFaults[0] && accepted >= pendingFaults[0].at) running.push(pendingFaults.shift()!.run());
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    await Promise.all(running);
    return { ids, statuses };
  }

  private async seen(): Promise<Seen[]> {
    return Promise.all(this.receivers.map(async (r) => (await fetch(`${r.url}/__seen`)).json() as Promise<Seen>));
  }

  /** Waits until every receiver has every event (or the deadline), then judges what they saw. */
  async verdict(eventIds: string[], timeoutMs = 180_000): Promise<Verdict> {
    const deadline = Date.now() + timeoutMs;
    let seen = await this.seen();
    const missingFrom = (all: Seen[]) => eventIds.filter((id) => all.some((s) => !s.events[id]));
    while (missingFrom(seen).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      seen = await this.seen();
    }
    let splitIdentities = 0;
    let duplicates = 0;
    for (const s of seen) {
      for (const id of eventIds) {
        const ids = Object.values(s.events[id] ?? {});
        if (ids.length > 1) splitIdentities++;
        duplicates += ids.reduce((sum, n) => sum + n, 0) - Math.min(ids.length, 1);
      }
    }
    return { events: eventIds.length, receivers: seen.length, missing: missingFrom(seen), splitIdentities, duplicates };
  }

  /** Job hashes still in Redis, once in-flight bookkeeping has settled (a few seconds at most). */
  async jobKeysLeft(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = this.redis.keys(`${this.keyPrefix}:deliveries:msg_*`).length;
      if (left === 0 || Date.now() > deadline) return left;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * Deliveries by status, as Postgres has them once none is pending (or at the deadline): a
   * receiver may have answered an attempt whose record is still being written, or failed to be.
   */
  async deliveryStatuses(timeoutMs = 15_000): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await queryRows<{ status: string; n: number }>(
        this.databaseUrl,
        "SELECT status::text AS status, count(*)::int AS n FROM deliveries GROUP BY status",
      );
      const statuses = Object.fromEntries(rows.map((row) => [row.status, row.n]));
      if (statuses.pending === undefined || Date.now() > deadline) return statuses;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Kills every process and server, each even if another fails to stop. */
  async stop(): Promise<void> {
    const processes = [...this.workers, this.api, ...this.receivers.map((r) => r.process)].filter(Boolean);
    await Promise.allSettled(processes.map((p) => p.stop("SIGKILL")));
    const stopped = await Promise.allSettled([this.redis.destroy(), this.pg.destroy()]);
    for (const result of stopped) if (result.status === "rejected") throw result.reason;
  }

  /** Jobs the workers' sweepers enqueued again because Redis had lost them (from their logs). */
  requeuedBySweepers(): number {
    return logRecords(this.workers.flatMap((w) => w.lines))
      .filter((record) => record.msg?.startsWith("sweeper enqueued due deliveries"))
      .reduce((sum, record) => sum + (typeof record.requeued === "number" ? record.requeued : 0), 0);
  }

  /** Writes each process's own words to a file, to see why a scenario failed. */
  keepLogs(name: string): void {
    for (const [label, p] of [["api", this.api], ...this.workers.map((w, i) => [`worker-${i}`, w] as const)] as const) {
      const file = join(tmpdir(), `chaos-${name.replace(/\W+/g, "-")}-${label}.log`);
      writeFileSync(file, p.lines.join("\n"));
      process.stdout.write(`chaos ${name}: ${label} log in ${file}\n`);
    }
  }
}

export function report(name: string, verdict: Verdict, statuses: Map<number, number>): void {
  const codes = [...statuses.entries()].map(([code, n]) => `${code || "conn-error"}×${n}`).join(" ");
  process.stdout.write(
    `chaos ${name}: ${verdict.events} events × ${verdict.receivers} receivers, missing ${verdict.missing.length}, ` +
      `duplicates ${verdict.duplicates}, split identities ${verdict.splitIdentities}; publish answers ${codes}\n`,
  );
}

/** A process's pino log lines, parsed; its other output (a start-up line on stderr) is left out. */
export function logRecords(lines: readonly string[]): { msg?: string; [field: string]: unknown }[] {
  return lines.flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as { msg?: string }];
    } catch {
      return [];
    }
  });
}
