import { fileURLToPath } from "node:url";
import { freePort, spawnTsProcess, startRedisServer, TEST_REDIS_URL, useTestDatabase, useTestRedis } from "@hookline/testing";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

const database = useTestDatabase();
const queue = useTestRedis();

describe("the worker process", () => {
  it("starts, connects to Redis and Postgres, and exits 0 on SIGTERM", async () => {
    const worker = spawnTsProcess(MAIN, {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queue.prefix,
      LOG_LEVEL: "info",
    });
    await worker.waitFor("Hookline worker ready");
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.lines.some((l) => l.includes("worker stopped"))).toBe(true);
    // Logs are pino JSON lines.
    expect(() => worker.lines.map((l) => JSON.parse(l))).not.toThrow();
  });

  it("refuses to start on a bad configuration, naming the variable", async () => {
    const worker = spawnTsProcess(MAIN, { DATABASE_URL: "mysql://nope", REDIS_URL: TEST_REDIS_URL });
    expect(await worker.stop("SIGCONT")).toBe(1);
    expect(worker.lines.join("\n")).toContain("DATABASE_URL");
  });

  it("refuses a Redis that may evict jobs, unless told to run anyway", async () => {
    const redis = await startRedisServer(["--maxmemory-policy", "allkeys-lru"]);
    try {
      const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, QUEUE_PREFIX: queue.prefix };
      const refused = spawnTsProcess(MAIN, env);
      expect(await refused.stop("SIGCONT")).toBe(1);
      expect(refused.lines.join("\n")).toMatch(/maxmemory-policy is \\"allkeys-lru\\"/);

      const allowed = spawnTsProcess(MAIN, { ...env, ALLOW_EVICTING_REDIS: "true" });
      await allowed.waitFor("Hookline worker ready");
      expect(allowed.lines.join("\n")).toContain("may evict queued jobs");
      expect(await allowed.stop()).toBe(0);
    } finally {
      await redis.stop();
    }
  });

  it("reports health on WORKER_HEALTH_PORT", async () => {
    const port = await freePort();
    const worker = spawnTsProcess(MAIN, {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queue.prefix,
      WORKER_HEALTH_PORT: String(port),
    });
    await worker.waitFor("Hookline worker ready");
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", healthy: true, active: 0, waiting: 0 });
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toContain("# TYPE hookline_delivery_attempts_total counter");
    expect(text).toMatch(/^hookline_log_lines_dropped_total 0$/m);
    expect(await worker.stop()).toBe(0);
  });
});
