import { useTestRedis } from "@hookline/testing";
import { deliverPayload, JobQueues, JOBS, MalformedJobError, QUEUES } from "../src/index.js";

const redis = useTestRedis();
const fixture = {} as { queues: JobQueues };
beforeAll(() => {
  fixture.queues = new JobQueues(redis.redis, redis.prefix);
});
afterAll(() => fixture.queues.close());
const deliveries = () => fixture.queues.queue(QUEUES.deliveries);
const later = 3_600_000;

describe("adding jobs", () => {
  it("adds one job per delivery, named by its id, however often the same delivery is added", async () => {
    await fixture.queues.add(JOBS.deliver, [deliverPayload("msg_once"), deliverPayload("msg_once")]);
    await fixture.queues.add(JOBS.deliver, [deliverPayload("msg_once")]);
    const jobs = await deliveries().getJobs(["waiting"]);
    expect(jobs.filter((job) => job.id === "msg_once").map((job) => job.data)).toEqual([{ v: 1, deliveryId: "msg_once" }]);
  });

  it("refuses a payload its kind's schema does not describe, adding nothing", async () => {
    const bad = { v: 1, deliveryId: "msg_bad", body: "secret" } as unknown as ReturnType<typeof deliverPayload>;
    await expect(fixture.queues.add(JOBS.deliver, [deliverPayload("msg_fine"), bad])).rejects.toThrow(MalformedJobError);
    expect(await deliveries().getJobState("msg_fine")).toBe("unknown");
  });

  it("tells which deliveries have no job", async () => {
    await fixture.queues.add(JOBS.deliver, [deliverPayload("msg_here")]);
    expect(await fixture.queues.missing(JOBS.deliver, ["msg_here", "msg_nowhere"])).toEqual(["msg_nowhere"]);
  });
});

describe("releasing deliveries that waited for a failing endpoint", () => {
  it("makes their delayed jobs due now, and leaves alone what is not delayed", async () => {
    await fixture.queues.add(JOBS.deliver, [deliverPayload("msg_wait_1"), deliverPayload("msg_wait_2")], { delayMs: later });
    await fixture.queues.add(JOBS.deliver, [deliverPayload("msg_due")]);
    expect(await deliveries().getJobState("msg_wait_1")).toBe("delayed");

    await fixture.queues.promote(JOBS.deliver, ["msg_wait_1", "msg_wait_2", "msg_due", "msg_gone"]);

    expect(await deliveries().getJobState("msg_wait_1")).toBe("waiting");
    expect(await deliveries().getJobState("msg_wait_2")).toBe("waiting");
    expect(await deliveries().getJobState("msg_due")).toBe("waiting");
    expect(await deliveries().getDelayedCount()).toBe(0);
  });

  it("releases every one of a large backlog", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `msg_many_${i}`);
    await fixture.queues.add(
      JOBS.deliver,
      ids.map((id) => deliverPayload(id)),
      { delayMs: later },
    );

    await fixture.queues.promote(JOBS.deliver, ids);

    expect(await deliveries().getDelayedCount()).toBe(0);
    expect(await deliveries().getWaitingCount()).toBeGreaterThanOrEqual(ids.length);
  });
});
