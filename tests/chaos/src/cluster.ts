import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureDatabaseExists, MIGRATIONS_DIR, runMigrations } from "@hookline/db";
import {
  freePort,
  jsonClient,
  spawnTsProcess,
  startPostgresServer,
  startRedisServer,
  waitForHttp,
  type JsonRequest,
  type PostgresServer,
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
 * (never the shared services), the API, workers and receivers. Faults are injected by process.
 */
export class Cluster {
  readonly workers: SpawnedProcess[] = [];
  readonly receivers: { process: SpawnedProcess; url: string }[] = [];
  api!: SpawnedProcess;
  apiUrl = "";
  request!: JsonRequest;
  private workerEnv: Record<string, string> = {};

  private constructor(
    readonly pg: PostgresServer,
    readonly redis: RedisServer,
    readonly databaseUrl: string,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const [pg, redis] = await Promise.all([startPostgresServer(), startRedisServer(["--maxmemory-policy", "noeviction"])]);
    const databaseUrl = pg.url.replace(/\/postgres$/, "/hookline");
    await ensureDatabaseExists(databaseUrl);
    await runMigrations(databaseUrl, MIGRATIONS_DIR);
    const cluster = new Cluster(pg, redis, databaseUrl);
    const shared = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: "chaos", LOG_LEVEL: "info" };

    for (let i = 0; i < (options.receivers ?? 2); i++) {
      const port = await freePort();
      const receiver = spawnTsProcess(RECEIVER_MAIN, { PORT: String(port), DELAY_MS: String(options.receiverDelayMs ?? 0) });
      await receiver.waitFor("receiver listening");
      cluster.receivers.push({ process: receiver, url: `http://127.0.0.1:${port}` });
    }

    const apiPort = await freePort();
    cluster.api = spawnTsProcess(API_MAIN, {
      ...shared,
      PORT: String(apiPort),
      HOST: "127.0.0.1",
      ADMIN_TOKEN,
      LOG_LEVEL: "warn",
      ...options.apiEnv,
    });
    cluster.apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${cluster.apiUrl}/healthz`);

    cluster.workerEnv = {
      ...shared,
      WORKER_CONCURRENCY: "25",
      RETRY_SCHEDULE: "1,2,4,8,15,30,30",
      SWEEP_INTERVAL_SECONDS: "1",
      SWEEP_GRACE_SECONDS: "3",
      SHUTDOWN_TIMEOUT_SECONDS: "20",
      ...options.workerEnv,
    };
    await Promise.all(Array.from({ length: options.workers ?? 2 }, () => cluster.startWorker()));

    const tenant = await jsonClient(cluster.apiUrl, ADMIN_TOKEN)<{ api_key: string }>("POST", "/v1/tenants", { body: { name: "chaos" } });
    cluster.request = jsonClient(cluster.apiUrl, tenant.body.api_key);
    for (const receiver of cluster.receivers) {
      const endpoint = await cluster.request<{ id: string }>("POST", "/v1/endpoints", {
        body: { name: "r", url: receiver.url, timeout_seconds: 10 },
      });
      await cluster.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["chaos.*"] } });
    }
    return cluster;
  }

  async startWorker(): Promise<SpawnedProcess> {
    const worker = spawnTsProcess(WORKER_MAIN, this.workerEnv);
    await worker.waitFor("Hookline worker ready");
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
      const out = spawnSync("redis-cli", ["-p", String(this.redis.port), "--scan", "--pattern", "chaos:deliveries:msg_*"], {
        encoding: "utf8",
      });
      const left = out.stdout.split("\n").filter(Boolean).length;
      if (left === 0 || Date.now() > deadline) return left;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers, this.api, ...this.receivers.map((r) => r.process)].filter(Boolean).map((p) => p.stop("SIGKILL")));
    await this.redis.stop();
    await this.pg.destroy();
  }
}

export function report(name: string, verdict: Verdict, statuses: Map<number, number>): void {
  const codes = [...statuses.entries()].map(([code, n]) => `${code || "conn-error"}×${n}`).join(" ");
  process.stdout.write(
    `chaos ${name}: ${verdict.events} events × ${verdict.receivers} receivers, missing ${verdict.missing.length}, ` +
      `duplicates ${verdict.duplicates}, split identities ${verdict.splitIdentities}; publish answers ${codes}\n`,
  );
}
