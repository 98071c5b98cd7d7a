import { createRedis, DeliveryQueue } from "@hookline/queue";
import { testQueuePrefix, TEST_REDIS_URL } from "@hookline/testing";
import type { Redis } from "ioredis";

let redis: Redis;
let queue: DeliveryQueue;
const prefix = testQueuePrefix();

beforeAll(() => {
  redis = createRedis(TEST_REDIS_URL, "producer");
  queue = new DeliveryQueue(redis, prefix.prefix);
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await prefix.cleanup();
});

describe("releasing deliveries that waited for a failing endpoint", () => {
  it("makes their delayed jobs due now, and leaves alone what is not delayed", async () => {
    const later = new Date(Date.now() + 3_600_000);
    await queue.enqueueAt("msg_wait_1", later);
    await queue.enqueueAt("msg_wait_2", later);
    await queue.enqueue(["msg_due"]);
    expect(await queue.queue.getJobState("msg_wait_1")).toBe("delayed");

    await queue.promote(["msg_wait_1", "msg_wait_2", "msg_due", "msg_gone"]);

    expect(await queue.queue.getJobState("msg_wait_1")).toBe("waiting");
    expect(await queue.queue.getJobState("msg_wait_2")).toBe("waiting");
    expect(await queue.queue.getJobState("msg_due")).toBe("waiting");
    expect(await queue.queue.getDelayedCount()).toBe(0);
  });
});

describe("releasing many", () => {
  it("releases every one of a large backlog", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const ids = Array.from({ length: 250 }, (_, i) => `msg_many_${i}`);
    for (const id of ids) await queue.enqueueAt(id, later);

    await queue.promote(ids);

    expect(await queue.queue.getDelayedCount()).toBe(0);
    expect(await queue.queue.getWaitingCount()).toBeGreaterThanOrEqual(ids.length);
  });
});
