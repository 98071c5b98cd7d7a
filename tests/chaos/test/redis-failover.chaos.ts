import { startRedisCluster, startRedisSentinels, type QueueRedis } from "@hookline/testing";
import { burst } from "../src/burst.js";
import { Cluster } from "../src/cluster.js";

/**
 * The queue on a replicated Redis whose primary dies in the middle of a burst. Asynchronous
 * replication loses the writes the replica had not yet received (jobs added, jobs finished), so
 * this is the sweeper's work as much as the client's: nothing may be lost, and no delivery may
 * reach a receiver under two webhook-ids.
 */
const EVENTS = Number(process.env.CHAOS_FAILOVER_EVENTS ?? "1000");

let cluster: Cluster<QueueRedis> | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

it("Redis Cluster: kill -9 of the primary holding the queue's slot in the middle of a burst", async () => {
  const c = await Cluster.startWith(() => startRedisCluster());
  cluster = c;
  let failover = { from: 0, to: 0, ms: 0 };
  await burst(c, "redis cluster primary killed", EVENTS, [
    {
      at: Math.floor(EVENTS / 3),
      run: async () => {
        // Every key of the queue is in the slot of the prefix's hash tag.
        const from = await c.redis.primaryOf(c.keyPrefix);
        await c.redis.kill(from);
        const killedAt = Date.now();
        const to = await c.redis.waitForFailover(c.keyPrefix, from);
        failover = { from, to, ms: Date.now() - killedAt };
      },
    },
  ]);
  process.stdout.write(
    `chaos redis cluster: primary :${failover.from} killed, replica :${failover.to} took over in ${failover.ms} ms; ` +
      `jobs enqueued again by the sweepers: ${c.requeuedBySweepers()}\n`,
  );
  expect(failover.to).not.toBe(failover.from);
});

it("Redis Sentinel: kill -9 of the primary in the middle of a burst", async () => {
  const c = await Cluster.startWith(() => startRedisSentinels());
  cluster = c;
  let failover = { from: 0, to: 0, ms: 0 };
  await burst(c, "redis sentinel primary killed", EVENTS, [
    {
      at: Math.floor(EVENTS / 3),
      run: async () => {
        const from = await c.redis.primary();
        await c.redis.kill(from);
        const killedAt = Date.now();
        const to = await c.redis.waitForFailover(from);
        failover = { from, to, ms: Date.now() - killedAt };
      },
    },
  ]);
  process.stdout.write(
    `chaos redis sentinel: primary :${failover.from} killed, replica :${failover.to} promoted in ${failover.ms} ms; ` +
      `jobs enqueued again by the sweepers: ${c.requeuedBySweepers()}\n`,
  );
  expect(failover.to).not.toBe(failover.from);
});
