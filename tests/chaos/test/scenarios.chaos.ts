import { spawnSync } from "node:child_process";
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openLingeringConnections, redisCli, type LingeringConnections } from "@hookline/testing";
import { burst, type Fault } from "../src/burst.js";
import { Cluster, logRecords, type ClusterOptions } from "../src/cluster.js";

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

/** SIGTERM to the API and every worker at once; each must exit 0, and the time they took is printed. */
async function stopAllTimed(c: Cluster, name: string): Promise<void> {
  const startedAt = performance.now();
  const exits = await Promise.all(
    [c.api, ...c.workers].map(async (p) => ({ code: await p.stop("SIGTERM"), ms: Math.round(performance.now() - startedAt) })),
  );
  process.stdout.write(
    `chaos ${name}: SIGTERM to ${exits.length} processes, exits ${exits.map((e) => `${e.code} in ${e.ms} ms`).join(", ")}\n`,
  );
  // Within the workers' SHUTDOWN_TIMEOUT_SECONDS (30 s) and the API's own deadline (10 s): Jest's
  // timeout would end a process that waited on its log output forever, as one did.
  expect(exits.map((e) => e.code)).toEqual(exits.map(() => 0));
}

/**
 * A burst during which, a third of the way in, `cut` is done to the API's and every worker's
 * stdout and stderr; the API logs every request at info, so both kinds of process write a line
 * per request or attempt. Then SIGTERM must still stop them all.
 */
async function logReaderScenario(name: string, cut: (stream: NodeJS.ReadableStream & { destroy(): void }) => void) {
  await run(name, { apiEnv: { LOG_LEVEL: "info" } }, (c) => [
    {
      at: Math.floor(EVENTS / 3),
      run: async () => {
        for (const p of [c.api, ...c.workers]) for (const stream of [p.child.stdout, p.child.stderr]) if (stream) cut(stream);
      },
    },
  ]);
  await stopAllTimed(cluster!, name);
}

it("7. the log reader gone: stdout and stderr of the API and the workers closed mid-burst", async () => {
  // What a parent that piped their output and then exited leaves them: writes fail with EPIPE.
  await logReaderScenario("log reader gone", (stream) => stream.destroy());
});

it("8. the log reader stalled: nobody reads the API's and the workers' output from mid-burst", async () => {
  // The pipes fill and stay full: a blocking write would stop the event loop.
  await logReaderScenario("log reader stalled", (stream) => stream.pause());
});

it("9. Postgres connections exhausted: another client holds every slot for 10 s", async () => {
  const held: pg.Client[] = [];
  let readiness: { status: number; body: { checks?: Record<string, string>; reasons?: Record<string, string> } } | undefined;
  let stopped: { code: number | null; ms: number; lines: string[] } | undefined;
  let replacementLines: string[] = [];
  try {
    // Receivers that take 100 ms keep a backlog of deliveries, so the workers have jobs while
    // Postgres refuses them (with instant receivers they would be idle, waiting for new events).
    await run("postgres connections exhausted", { receiverDelayMs: 100 }, (c) => [
      {
        at: Math.floor(EVENTS / 3),
        run: async () => {
          // Every slot, the superuser's reserved ones too (Hookline connects as the same role here).
          const fill = async () => {
            for (;;) {
              const client = new pg.Client({ connectionString: c.pg.url });
              try {
                await client.connect();
                held.push(client);
              } catch {
                return;
              }
            }
          };
          await fill();
          // Then Hookline's own connections are cut, and their slots taken too: every process must
          // connect again, and cannot until the slots are given back. A process may take a freed
          // slot before the fill does, so this goes on until none of its connections is left.
          for (let round = 0; ; round++) {
            const ours = held.map((client) => (client as unknown as { processID: number }).processID);
            const { rowCount } = await held[0]!.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE backend_type = 'client backend' AND pid <> ALL($1::int[])`,
              [ours],
            );
            if (rowCount === 0) break;
            if (round === 20) throw new Error("Hookline's connections could not all be cut");
            await fill();
          }
          process.stdout.write(`chaos postgres connections exhausted: held ${held.length} connections for 10 s\n`);
          const heldSince = performance.now();
          await sleep(2_000);
          // The API's readiness names Postgres, and says why.
          const ready = await fetch(`${c.apiUrl}/readyz`);
          readiness = { status: ready.status, body: (await ready.json()) as NonNullable<typeof readiness>["body"] };
          // A worker stopped while its jobs wait for Postgres puts them back in the queue and
          // exits; one started meanwhile waits for Postgres before it takes any.
          const victim = c.workers.shift()!;
          const stopAt = performance.now();
          const code = await victim.stop("SIGTERM");
          stopped = { code, ms: Math.round(performance.now() - stopAt), lines: victim.lines };
          const replacement = c.startWorker();
          await sleep(Math.max(0, 10_000 - (performance.now() - heldSince)));
          await Promise.all(held.splice(0).map((client) => client.end()));
          replacementLines = (await replacement).lines;
        },
      },
    ]);
  } finally {
    await Promise.all(held.map((client) => client.end().catch(() => undefined)));
  }
  expect(readiness).toEqual({
    status: 503,
    body: {
      status: "unavailable",
      checks: { postgres: "unavailable", redis: "ok" },
      reasons: { postgres: "too many connections" },
    },
  });
  // The workers backed off: their jobs waited while one ping at a time probed, instead of each
  // job failing and running again; none failed for it. The stopped worker's log is first.
  const workers = [stopped?.lines ?? [], ...cluster!.workers.map((w) => w.lines)].map(
    (lines) => logRecords(lines) as { msg?: string; probes?: number; down_ms?: number }[],
  );
  const recoveries = workers.map((lines) => lines.filter((l) => l.msg === "Postgres answers again: jobs go on"));
  const backedOff = (lines: (typeof workers)[number]) => lines.some((l) => l.msg === "Postgres unavailable: jobs wait, one ping probes");
  // The last recovery of an outage counts its probes from the start.
  const summary = recoveries.map((r, i) =>
    r.length
      ? `${r.at(-1)!.probes} probes over ${((r.at(-1)!.down_ms ?? 0) / 1000).toFixed(1)} s`
      : backedOff(workers[i]!)
        ? "stopped while waiting"
        : "no outage met",
  );
  process.stdout.write(
    `chaos postgres connections exhausted: readyz ${readiness?.status} (${readiness?.body.reasons?.postgres}); workers: ${summary.join("; ")}; ` +
      `one stopped mid-outage exited ${stopped?.code} in ${stopped?.ms} ms\n`,
  );
  expect(stopped?.code).toBe(0);
  // It was waiting for Postgres when it was stopped (with a backlog it had jobs).
  expect(backedOff(workers[0]!)).toBe(true);
  // Its waiting jobs stepped aside at once rather than at its 20 s shutdown deadline.
  expect(workers[0]!.some((l) => l.msg === "shutdown deadline passed; unfinished deliveries will be retried by another worker")).toBe(
    false,
  );
  expect(
    replacementLines.some((line) => /hookline-worker: waiting for Postgres at .+ \(sorry, too many clients already\)/.test(line)),
  ).toBe(true);
  // A worker whose pool kept a connection through the fault may not have needed to; at least one did.
  expect(workers.some(backedOff)).toBe(true);
  for (const [i, lines] of workers.entries()) {
    // Pings 0.25, 0.5, 1, 2, 4 s apart, then every 5 s: a handful in the fault's 10 s, not a try per job.
    for (const recovery of recoveries[i]!) expect(recovery.probes).toBeLessThanOrEqual(15);
    expect(lines.filter((l) => l.msg === "delivery job crashed")).toEqual([]);
  }
});

it("10. Redis full: maxmemory reached under noeviction for 10 s", async () => {
  let oomRefusals = 0;
  await run("redis full", {}, (c) => [
    {
      at: Math.floor(EVENTS / 3),
      run: async () => {
        // Whatever it holds now is its limit: every write that needs more memory fails with OOM.
        const used = /used_memory:(\d+)/.exec(redisCli(c.redis.port, "info", "memory"))?.[1];
        redisCli(c.redis.port, "config", "set", "maxmemory", String(used));
        await sleep(10_000);
        redisCli(c.redis.port, "config", "set", "maxmemory", "0");
        // The fault did happen: Redis refused writes for want of memory.
        oomRefusals = Number(/errorstat_OOM:count=(\d+)/.exec(redisCli(c.redis.port, "info", "errorstats"))?.[1] ?? 0);
        process.stdout.write(`chaos redis full: Redis refused ${oomRefusals} commands with OOM\n`);
      },
    },
  ]);
  expect(oomRefusals).toBeGreaterThan(0);
});

it("11. disk full under Postgres: its filesystem filled for 10 s, with a WAL write that finds no room, then freed", async () => {
  let filled = 0;
  let restarted = false;
  let walFailure = "";
  await run("postgres disk full", { pgDiskMegabytes: 256 }, (c) => [
    {
      at: Math.floor(EVENTS / 3),
      run: async () => {
        // A file that takes every free byte of the server's filesystem.
        const filler = join(c.pg.dir, "filler");
        const fd = openSync(filler, "w");
        const chunk = Buffer.alloc(1024 * 1024);
        try {
          for (;;) filled += writeSync(fd, chunk);
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
        } finally {
          closeSync(fd);
        }
        // Hookline's statements may still find room in the WAL segments Postgres has already
        // made. Another client's writes to the WAL alone (messages, no table) use them up, until
        // Postgres needs a new segment and has no space for it.
        const writer = new pg.Client({ connectionString: c.pg.url });
        writer.on("error", () => undefined);
        try {
          await writer.connect();
          for (let i = 0; i < 1_000; i++) await writer.query("SELECT pg_logical_emit_message(false, 'chaos', repeat('x', 1048576))");
        } catch (error) {
          walFailure = (error as Error).message;
        } finally {
          void writer.end().catch(() => undefined);
        }
        await sleep(10_000);
        rmSync(filler);
        // A WAL write that found no space is a PANIC, after which Postgres may stay down: then it
        // is started again, as an operator would once the disk has room.
        if (!c.pg.running()) {
          restarted = true;
          await c.pg.start();
        }
      },
    },
  ]);
  process.stdout.write(
    `chaos postgres disk full: filled ${Math.round(filled / 2 ** 20)} MiB; the WAL writer got "${walFailure}"; Postgres restarted: ${restarted}\n`,
  );
  expect(filled).toBeGreaterThan(0);
  expect(walFailure).not.toBe("");
});

it("12. SIGTERM to the API holding a keep-alive connection, an unfinished body and a waiting synchronous webhook; a new API takes over", async () => {
  let lingering: LingeringConnections | undefined;
  let stopped: { code: number | null; ms: number } | undefined;
  try {
    await run("api sigterm with open connections", {}, (c) => [
      {
        at: Math.floor(EVENTS / 2),
        run: async () => {
          lingering = await openLingeringConnections(c.apiUrl, c.apiKey);
          const startedAt = performance.now();
          const code = await c.api.stop("SIGTERM");
          stopped = { code, ms: Math.round(performance.now() - startedAt) };
          // The clients (the burst's publishers) retry on the refused connections until it answers.
          await c.startApi();
          // The synchronous webhook's delivery, cut short, goes with its webhook: the verdict
          // counts the burst's deliveries alone.
          await lingering.close();
        },
      },
    ]);
  } finally {
    await lingering?.close();
  }
  process.stdout.write(
    `chaos api sigterm with open connections: the API exited ${stopped?.code} in ${stopped?.ms} ms; a new API took over\n`,
  );
  // The API's own deadline is 10 s, after which it forces its exit with 1: 0 is an exit in time.
  expect(stopped?.code).toBe(0);
});
