import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { createAddressPolicy, createHttpClient } from "@hookline/delivery";
import pg from "pg";
import { benchEvent } from "./workload.js";
import { bulkQueue } from "./bulk-queue.js";
import { lanes } from "./lanes.js";

/** Runs `loop` on `concurrency` lanes for `durationMs`; returns completed operations per second. */
async function rate(concurrency: number, durationMs: number, loop: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const done = await lanes(concurrency, durationMs, loop);
  return done / ((performance.now() - started) / 1000);
}

/**
 * H: POSTs of a signed-size (1 KiB) body from Node to the benchmark's receiver over keep-alive,
 * 64 at a time, as fast as they go: with the delivery client itself (got, as the worker sends:
 * the ceiling the engine is held to), or with Node's own `http.request` (to show what got costs).
 */
export async function httpCeiling(receiverUrl: string, durationMs: number, client: "got" | "node:http" = "got"): Promise<number> {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify(benchEvent(0, 0));
  const url = `${receiverUrl}/e/999`;
  const headers = { "content-type": "application/json" };
  const delivery = createHttpClient({ maxBodyBytes: 4096, maxSocketsPerHost: 64, policy: createAddressPolicy(["127.0.0.1/32"]) });
  const post =
    client === "got"
      ? async () => {
          const result = await delivery.send({ url, headers, body, timeoutMs: 5000 });
          if (result.statusCode === undefined) throw new Error(result.errorMessage ?? "the ceiling's request failed");
        }
      : () =>
          new Promise<void>((resolve, reject) => {
            const request = httpRequest(
              url,
              { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, agent },
              (response) => {
                response.resume();
                response.once("end", resolve);
              },
            );
            request.once("error", reject);
            request.end(body);
          });
  try {
    return await rate(64, durationMs, async () => {
      await post();
      return 1;
    });
  } finally {
    agent.destroy();
    delivery.close();
  }
}

/** Q: BullMQ add (in bulk) and process of empty jobs, with a worker of the engine's concurrency. */
export async function queueCeiling(redisUrl: string, prefix: string, concurrency: number, durationMs: number): Promise<number> {
  const queue = bulkQueue({
    redisUrl,
    prefix,
    name: "ceiling",
    concurrency,
    batch: 500,
    maxBacklog: 5_000,
    idleMs: 5,
    job: (i) => ({ name: "empty", data: { i } }),
  });
  const started = performance.now();
  try {
    await lanes(1, durationMs, queue.feed);
    return queue.completed() / ((performance.now() - started) / 1000);
  } finally {
    await queue.close();
  }
}

/**
 * D: the engine's own Postgres writes for one delivery (the event row, the delivery row, the
 * attempt row and the delivery's update), batched 100 deliveries per transaction on 4
 * connections, into the engine's real tables and indexes. Returns deliveries per second; four
 * rows each.
 */
export async function databaseCeiling(databaseUrl: string, durationMs: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const tenant = `ten_ceiling_${process.pid}`;
  const endpoint = `ep_ceiling_${process.pid}`;
  await pool.query(`INSERT INTO tenants (id, name, updated_at) VALUES ($1, 'ceiling', now())`, [tenant]);
  await pool.query(
    `INSERT INTO endpoints (id, tenant_id, name, url, secret, updated_at) VALUES ($1, $2, 'c', 'http://127.0.0.1/', 'x', now())`,
    [endpoint, tenant],
  );
  let serial = 0;
  const data = JSON.stringify(benchEvent(0, 0).data);
  try {
    return await rate(4, durationMs, async () => {
      const ids = Array.from({ length: 100 }, () => `${process.pid}_${serial++}`);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(
          `INSERT INTO events (id, tenant_id, event_type, data)
           SELECT 'evt_' || id, $2, 'bench.ceiling', $3::jsonb FROM unnest($1::text[]) AS id`,
          [ids, tenant, data],
        );
        await client.query(
          `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, next_attempt_at, updated_at)
           SELECT 'msg_' || id, $2, 'evt_' || id, $3, 'pending', now(), now() FROM unnest($1::text[]) AS id`,
          [ids, tenant, endpoint],
        );
        await client.query(
          // now() is the deliveries' created_at: they were inserted in this transaction.
          `INSERT INTO attempts (id, delivery_id, delivery_created_at, attempt_number, started_at, duration_ms, status_code)
           SELECT 'atm_' || id, 'msg_' || id, now(), 1, now(), 3, 200 FROM unnest($1::text[]) AS id`,
          [ids],
        );
        await client.query(
          `UPDATE deliveries SET status = 'succeeded', attempt_count = 1, next_attempt_at = NULL, updated_at = now()
           WHERE id = ANY($1::text[])`,
          [ids.map((id) => `msg_${id}`)],
        );
        await client.query("COMMIT");
      } finally {
        client.release();
      }
      return ids.length;
    });
  } finally {
    await pool.query(`DELETE FROM tenants WHERE id = $1`, [tenant]);
    // What the measurement wrote and deleted must not leave the scenarios a table full of dead rows.
    await pool.query(`VACUUM events, deliveries, attempts`);
    await pool.end();
  }
}

/** K: the ceilings composed as if every delivery passed through each in turn. */
export function composedCeiling(h: number, q: number, d: number): number {
  return 1 / (1 / h + 1 / q + 1 / d);
}
