import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { createAddressPolicy, createHttpClient } from "@hookline/delivery";
import { freePort, spawnTsProcess } from "@hookline/testing";
import type { BenchCluster } from "./cluster.js";
import { post } from "./http-post.js";
import { benchEvent } from "./workload.js";
import { bulkQueue } from "./bulk-queue.js";
import { lanes } from "./lanes.js";

/**
 * The floor F: the CPU (µs) that one published and delivered event costs on this machine at the
 * least, taken apart as the engine's work is: the API's side of one HTTP request, the delivery's
 * row written and updated in Postgres, one job id through Redis, the worker's side of one HTTP
 * request. Each part runs alone for `durationMs` with nothing else loading the machine (the API
 * and workers are up but idle) and is charged only the CPU of the processes that do that part.
 */
export interface Floor {
  /** a. A bare node:http server's CPU per 1 KiB POST (the API's share). */
  readonly apiHttp: number;
  /** b. Postgres and its client's CPU per delivery row inserted, then updated, 100 rows per statement. */
  readonly postgres: number;
  /** c. redis-server and its client's CPU per job id pushed and popped, 100 per command. */
  readonly redis: number;
  /** d. A node:http client's CPU per 1 KiB POST to the receiver (the worker's share). */
  readonly workerHttp: number;
  readonly total: number;
  /**
   * L, the same work done with the libraries the engine is built on (Express, BullMQ, got; pg
   * already is b): what one event costs at the least before any of Hookline's own work.
   */
  readonly libraries: {
    /** a'. An Express 5 server with express.json(), per 1 KiB POST. */
    readonly apiHttp: number;
    /** c'. redis-server's and the driver's CPU per BullMQ job added in bulk, taken and completed. */
    readonly queue: number;
    /** d'. got as the worker sends (createHttpClient), per 1 KiB POST. */
    readonly workerHttp: number;
    /** a' + b + c' + d'. */
    readonly total: number;
  };
}

const BATCH = 100;
const body = JSON.stringify(benchEvent(0, 0));

const driverSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** utime + stime of one process (all its threads), from /proc. */
function processSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * µs of CPU per unit of `work`: of the processes `others` reads (from /proc), plus this
 * driver's own when `driver` is set. The /proc reads are outside the driver's window, so that
 * walking /proc is not charged to the work.
 */
async function perUnit(others: (() => number) | undefined, driver: boolean, work: () => Promise<number>): Promise<number> {
  const othersBefore = others?.() ?? 0;
  const driverBefore = driver ? driverSeconds() : 0;
  const units = await work();
  const driverAfter = driver ? driverSeconds() : 0;
  const othersAfter = others?.() ?? 0;
  return ((othersAfter - othersBefore + driverAfter - driverBefore) / units) * 1e6;
}

/** Warms `loop` up (connections opened, code compiled) for a tenth of the time, then measures it. */
async function warmThenMeasure(
  concurrency: number,
  durationMs: number,
  others: (() => number) | undefined,
  driver: boolean,
  loop: () => Promise<number>,
): Promise<number> {
  await lanes(concurrency, Math.min(1_000, durationMs / 10), loop);
  return perUnit(others, driver, () => lanes(concurrency, durationMs, loop));
}

/**
 * a (a'): the driver posts 1 KiB bodies, 32 in flight, to a bare node:http server (an Express
 * one) in a child process; the server's CPU.
 */
async function apiHttp(durationMs: number, framework: "node" | "express"): Promise<number> {
  const port = await freePort();
  const server = spawnTsProcess(fileURLToPath(new URL("./floor-server-main.ts", import.meta.url)), {
    PORT: String(port),
    FLOOR_SERVER: framework,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  try {
    await server.waitFor("floor server listening");
    const pid = server.child.pid ?? 0;
    const url = new URL(`http://127.0.0.1:${port}/v1/events`);
    return await warmThenMeasure(
      32,
      durationMs,
      () => processSeconds(pid),
      false,
      async () => {
        const status = await post(agent, url, body);
        if (status !== 202) throw new Error(`floor server answered ${status}`);
        return 1;
      },
    );
  } finally {
    agent.destroy();
    await server.stop();
  }
}

/**
 * b: 100 delivery-shaped rows per INSERT, then one UPDATE of the same rows (status and attempts),
 * each statement its own commit as the publish and the worker's group commit are, named
 * prepared statements as the engine's hot path uses, on 4 connections; Postgres's and the
 * driver's CPU per row. The scratch table has only its primary key and is dropped afterwards.
 */
async function postgres(cluster: BenchCluster, durationMs: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: cluster.settings.databaseUrl, max: 4 });
  let serial = 0;
  try {
    await pool.query("DROP TABLE IF EXISTS floor_deliveries");
    await pool.query(
      `CREATE TABLE floor_deliveries (id text PRIMARY KEY, tenant_id text NOT NULL, endpoint_id text NOT NULL, event_id text NOT NULL,
       status text NOT NULL, attempts int NOT NULL, updated_at timestamptz NOT NULL)`,
    );
    return await warmThenMeasure(
      4,
      durationMs,
      () => cluster.cpuSeconds().postgres ?? 0,
      true,
      async () => {
        const ids = Array.from({ length: BATCH }, () => `msg_floor_${serial++}`);
        await pool.query({
          name: "floor-insert",
          text: `INSERT INTO floor_deliveries (id, tenant_id, endpoint_id, event_id, status, attempts, updated_at)
                 SELECT id, $2, $3, 'evt_' || id, 'pending', 0, now() FROM unnest($1::text[]) AS id`,
          values: [ids, "ten_floor", "ep_floor"],
        });
        await pool.query({
          name: "floor-update",
          text: `UPDATE floor_deliveries SET status = 'succeeded', attempts = attempts + 1, updated_at = now() WHERE id = ANY($1::text[])`,
          values: [ids],
        });
        return ids.length;
      },
    );
  } finally {
    await pool.query("DROP TABLE IF EXISTS floor_deliveries");
    await pool.end();
  }
}

/**
 * c: 100 small job ids pushed by one LPUSH and popped by one RPOP with a count, the two
 * pipelined in one round trip, on 4 connections (a list each); redis-server's and the driver's
 * CPU per id.
 */
async function redis(cluster: BenchCluster, durationMs: number): Promise<number> {
  const connections = Array.from({ length: 4 }, () => new Redis(cluster.settings.redisUrl, { maxRetriesPerRequest: null }));
  const keys = connections.map((_, i) => `${cluster.queuePrefix}:floor:${i}`);
  let serial = 0;
  let lane = 0;
  try {
    return await warmThenMeasure(
      connections.length,
      durationMs,
      () => cluster.cpuSeconds().redis ?? 0,
      true,
      async () => {
        const i = lane++ % connections.length;
        const ids = Array.from({ length: BATCH }, () => String(serial++));
        const results = await connections[i]!.pipeline()
          .lpush(keys[i]!, ...ids)
          .rpop(keys[i]!, BATCH)
          .exec();
        const popped = results?.[1]?.[1];
        return Array.isArray(popped) ? popped.length : 0;
      },
    );
  } finally {
    await connections[0]!.del(...keys);
    for (const connection of connections) connection.disconnect();
  }
}

/**
 * c': BullMQ as the engine uses it: jobs carrying an id, added 100 per addBulk (as a publish
 * group adds them), taken and completed by a worker with a no-op processor at the engine's
 * concurrency, removed on completion; redis-server's and the driver's CPU per completed job. The
 * driver keeps at most 2,000 jobs waiting, so the worker never runs dry and Redis never fills.
 */
async function queue(cluster: BenchCluster, durationMs: number, concurrency: number): Promise<number> {
  const jobs = bulkQueue({
    redisUrl: cluster.settings.redisUrl,
    prefix: `${cluster.queuePrefix}-floor`,
    name: "floor",
    concurrency,
    batch: BATCH,
    maxBacklog: 2_000,
    idleMs: 2,
    job: (serial) => ({ name: "deliver", data: { deliveryId: `msg_floor_${serial}` } }),
  });
  try {
    // One lane, the adder; the worker's completions are what is counted.
    await lanes(1, Math.min(1_000, durationMs / 10), jobs.feed);
    return await perUnit(
      () => cluster.cpuSeconds().redis ?? 0,
      true,
      async () => {
        const before = jobs.completed();
        await lanes(1, durationMs, jobs.feed);
        return jobs.completed() - before;
      },
    );
  } finally {
    await jobs.close();
  }
}

/**
 * d (d'): 1 KiB POSTs to the bench receiver over keep-alive, 64 in flight, with node:http (with
 * got, as the worker's delivery client sends them); the driver's (client's) CPU only.
 */
async function workerHttp(cluster: BenchCluster, durationMs: number, client: "node:http" | "got"): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const delivery = createHttpClient({ maxBodyBytes: 4096, maxSocketsPerHost: 64, policy: createAddressPolicy(["127.0.0.1/32"]) });
  const url = new URL(`${cluster.receiverUrl}/e/999`);
  const headers = { "content-type": "application/json" };
  try {
    return await warmThenMeasure(64, durationMs, undefined, true, async () => {
      const status =
        client === "got"
          ? (await delivery.send({ url: url.href, headers, body, timeoutMs: 5_000 })).statusCode
          : await post(agent, url, body);
      if (status !== 200) throw new Error(`receiver answered ${status}`);
      return 1;
    });
  } finally {
    agent.destroy();
    delivery.close();
  }
}

export async function floor(cluster: BenchCluster, durationMs: number, workerConcurrency: number): Promise<Floor> {
  const a = await apiHttp(durationMs, "node");
  const b = await postgres(cluster, durationMs);
  const c = await redis(cluster, durationMs);
  const d = await workerHttp(cluster, durationMs, "node:http");
  const aL = await apiHttp(durationMs, "express");
  const cL = await queue(cluster, durationMs, workerConcurrency);
  const dL = await workerHttp(cluster, durationMs, "got");
  return {
    apiHttp: a,
    postgres: b,
    redis: c,
    workerHttp: d,
    total: a + b + c + d,
    libraries: { apiHttp: aL, queue: cL, workerHttp: dL, total: aL + b + cL + dL },
  };
}
