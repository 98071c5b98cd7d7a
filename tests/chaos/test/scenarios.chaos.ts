import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster, report, type ClusterOptions } from "../src/cluster.js";

/**
 * Each scenario publishes a burst, injects one kind of fault in the middle of it, and then
 * requires that every event reached every subscribed receiver, each (receiver, event) under one
 * webhook-id. Duplicates are allowed (delivery is at least once) and reported.
 */
const EVENTS = Number(process.env.CHAOS_EVENTS ?? "2000");

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function run(
  name: string,
  options: ClusterOptions,
  faults: (c: Cluster) => { at: number; run: () => Promise<void> }[],
  events = EVENTS,
) {
  cluster = await Cluster.start(options);
  const c = cluster;
  const { ids, statuses } = await c.publish(events, faults(c));
  const verdict = await c.verdict(ids);
  report(name, verdict, statuses);
  if (verdict.missing.length > 0 || (statuses.get(500) ?? 0) > 0) {
    // Keep each process's own words, to see why.
    for (const [label, p] of [["api", c.api], ...c.workers.map((w, i) => [`worker-${i}`, w] as const)] as const) {
      const file = join(tmpdir(), `chaos-${name.replace(/\W+/g, "-")}-${label}.log`);
      writeFileSync(file, p.lines.join("\n"));
      process.stdout.write(`chaos ${name}: ${label} log in ${file}\n`);
    }
  }
  expect(verdict.missing).toEqual([]);
  expect(verdict.splitIdentities).toBe(0);
  expect(new Set(ids).size).toBe(events);
  // Clients may see 503 or a refused connection while a dependency is down, never a 500.
  expect(statuses.get(500) ?? 0).toBe(0);
  // Finished jobs leave Redis: once everything is delivered, no job of the burst remains.
  expect(await c.jobKeysLeft()).toBe(0);
  return { c, verdict };
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
