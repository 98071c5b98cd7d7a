import { spawnSync } from "node:child_process";
import { burst, type Fault } from "../src/burst.js";
import { Cluster, type ClusterOptions } from "../src/cluster.js";

/**
 * Each scenario publishes a burst, injects one kind of fault in the middle of it, and then
 * requires that nothing was lost (see `burst`).
 */
const EVENTS = Number(process.env.CHAOS_EVENTS ?? "2000");

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function run(name: string, options: ClusterOptions, faults: (c: Cluster) => Fault[], events = EVENTS) {
  cluster = await Cluster.start(options);
  await burst(cluster, name, events, faults(cluster));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("1. kill -9 of a worker in the middle of a burst, three times, with restarts", async () => {
  const killAndRestart = (c: Cluster) => async () => {
    const victim = c.workers.shift();
    if (victim) await c.killWorker(victim);
    await c.startWorker();
  };
  await run("kill -9 worker ×3", {}, (c) => [0.25, 0.5, 0.75].map((f) => ({ at: Math.floor(EVENTS * f), run: killAndRestart(c) })));
});

it("2. Redis FLUSHALL in the middle of a burst", async () => {
  await run("redis flushall", {}, (c) => [
    {
      at: Math.floor(EVENTS / 2),
      run: async () => {
        spawnSync("redis-cli", ["-p", String(c.redis.port), "FLUSHALL"]);
      },
    },
  ]);
});

it("3. Redis stopped for 20 s and started again", async () => {
  await run("redis down 20 s", {}, (c) => [
    {
      at: Math.floor(EVENTS / 3),
      run: async () => {
        await c.redis.stop();
        await sleep(20_000);
        await c.redis.start();
      },
    },
  ]);
});

it("4. Postgres restarted (fast shutdown, then start) under load", async () => {
  await run("postgres restart", {}, (c) => [
    {
      at: Math.floor(EVENTS / 2),
      run: async () => {
        await c.pg.stop();
        await sleep(2_000);
        await c.pg.start();
      },
    },
  ]);
});

it("5. SIGTERM of a worker while the receiver takes 3 s per request", async () => {
  let exitCode: number | null | undefined;
  const events = Math.min(EVENTS, 1000);
  await run(
    "sigterm with slow receivers",
    // The per-endpoint cap is raised so that the two receivers can use every slot: this scenario
    // is about a shutdown with slow requests in flight, not about fairness between endpoints.
    { receiverDelayMs: 3_000, workerEnv: { WORKER_CONCURRENCY: "100", ENDPOINT_MAX_IN_FLIGHT: "50" } },
    (c) => [
      {
        at: Math.floor(events / 2),
        run: async () => {
          const victim = c.workers.shift();
          exitCode = await victim?.stop("SIGTERM");
          await c.startWorker();
        },
      },
    ],
    events,
  );
  expect(exitCode).toBe(0);
});

it("6. an enqueue that fails after commit", async () => {
  await run("enqueue fails after commit (30%)", { apiEnv: { FAULT_ENQUEUE_FAILURE_RATE: "0.3" } }, () => []);
});
