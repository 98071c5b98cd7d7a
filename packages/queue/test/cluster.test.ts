import { Worker } from "bullmq";
import { startRedisCluster, type RedisCluster } from "@hookline/testing";
import {
  createRedis,
  deliverPayload,
  evictionPolicies,
  JobQueues,
  JOBS,
  ListenHub,
  ListenSender,
  QUEUES,
  type ListenRequest,
  type RedisClient,
  type RedisTarget,
} from "../src/index.js";

/** The queue's Redis operations on a Redis Cluster of this file's own (three primaries, three replicas). */
let redisCluster: RedisCluster;
let target: RedisTarget;
const connections: RedisClient[] = [];
const connect = (role: "worker" | "producer") => {
  const connection = createRedis(target, role);
  connection.on("error", () => undefined);
  connections.push(connection);
  return connection;
};

beforeAll(async () => {
  redisCluster = await startRedisCluster();
  target = { mode: "cluster", url: "redis://127.0.0.1", nodes: redisCluster.ports.map((port) => ({ host: "127.0.0.1", port })) };
}, 60_000);
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await redisCluster?.destroy();
});

it("adds, finds and runs jobs under a prefix that is a hash tag", async () => {
  const queues = new JobQueues(connect("producer"), "{hl}");
  await queues.add(JOBS.deliver, [deliverPayload("msg_1"), deliverPayload("msg_2")]);
  expect(await queues.missing(JOBS.deliver, ["msg_1", "msg_2", "msg_3"])).toEqual(["msg_3"]);

  const taken: string[] = [];
  const worker = new Worker(QUEUES.deliveries, async (job) => void taken.push(String(job.id)), {
    connection: connect("worker"),
    prefix: "{hl}",
  });
  try {
    await new Promise<void>((resolve) => worker.on("completed", () => taken.length === 2 && resolve()));
  } finally {
    await worker.close();
    await queues.close();
  }
  expect(taken.sort()).toEqual(["msg_1", "msg_2"]);
  expect(redisCluster.keys("{hl}:deliveries:msg_*")).toEqual([]);
});

it("is refused by the cluster under a prefix without a hash tag: a queue's keys would span slots", async () => {
  const queues = new JobQueues(connect("producer"), "hl");
  try {
    // ioredis refuses the pipeline itself before the cluster would answer CROSSSLOT.
    await expect(queues.add(JOBS.deliver, [deliverPayload("msg_1")])).rejects.toThrow(/same slot|CROSSSLOT/);
  } finally {
    await queues.close();
  }
});

it("reports the eviction policy of every primary", async () => {
  const connection = connect("producer");
  await connection.ping();
  const primary = await redisCluster.primaryOf("{hl}");
  const before = await evictionPolicies(connection);
  expect(before).toHaveLength(3);
  expect(before.every((node) => node.policy === "noeviction")).toBe(true);

  const node = createRedis(`redis://127.0.0.1:${primary}`, "producer");
  try {
    await node.config("SET", "maxmemory-policy", "allkeys-lru");
  } finally {
    node.disconnect();
  }
  const after = await evictionPolicies(connection);
  expect(after.filter((n) => n.policy !== "noeviction")).toEqual([{ node: `127.0.0.1:${primary}`, policy: "allkeys-lru" }]);
});

it("relays listen requests and results over the cluster's pub/sub, whichever nodes publish and subscribe", async () => {
  const api = connect("producer");
  const hub = new ListenHub(api, connect("worker"), "{hl}");
  const sender = new ListenSender(connect("producer"), connect("worker"), "{hl}");
  const forwarded: string[] = [];
  const detach = await hub.attach("ep_1", {
    forward: (request: ListenRequest) => {
      forwarded.push(request.delivery_id);
      void hub.answer(request.delivery_id, { attempt_id: request.attempt_id, status_code: 204, duration_ms: 3 });
    },
    hangUp: () => undefined,
    released: async () => undefined,
  });
  try {
    // PUBLISH goes to a node picked at random each time: eight of them reach more than one node
    // (all on the subscriber's own node: one chance in 3^8).
    const ids = Array.from({ length: 8 }, (_, i) => `msg_${i}`);
    for (const id of ids) {
      const outcome = await sender.send("ep_1", { delivery_id: id, headers: { "webhook-id": id }, body: "{}" }, 10_000);
      expect(outcome).toEqual({ ok: true, result: expect.objectContaining({ status_code: 204 }) });
    }
    expect(forwarded).toEqual(ids);
  } finally {
    await detach();
  }
  // Nobody listens any more: said at once, not after the timeout.
  expect(await sender.send("ep_1", { delivery_id: "msg_late", headers: {}, body: "{}" }, 10_000)).toEqual({
    ok: false,
    reason: "no_listener",
  });
});
