import { Writable } from "node:stream";
import { createLogger } from "@hookline/core";
import { freePort, useTestRedis } from "@hookline/testing";
import { createRedis, dueDeliveries, JobQueues, QUEUES, Scheduler, type CommittedDelivery } from "../src/index.js";

/** A logger whose lines the test can read. */
function capturedLogger() {
  const lines: { msg: string; deliveries?: number; err?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: createLogger({ level: "warn", name: "scheduler-test", destination: sink }), lines };
}

describe("which committed deliveries are due", () => {
  const committed: CommittedDelivery[] = [
    { id: "msg_a", status: "pending", synchronous: false },
    { id: "msg_held", status: "held", synchronous: false },
    { id: "msg_sync", status: "pending", synchronous: true },
    { id: "msg_b", status: "pending", synchronous: false },
  ];

  it("is every pending one, in order; held ones wait for their endpoint's resume", () => {
    expect(dueDeliveries(committed, { attemptsSynchronousItself: false })).toEqual(["msg_a", "msg_sync", "msg_b"]);
  });

  it("leaves out a synchronous webhook's delivery when its publisher makes that attempt itself", () => {
    expect(dueDeliveries(committed, { attemptsSynchronousItself: true })).toEqual(["msg_a", "msg_b"]);
  });
});

describe("the scheduler", () => {
  const redis = useTestRedis();
  const queuesOf = () => new JobQueues(redis.redis, redis.prefix);

  it("hands due deliveries to the queue and says so", async () => {
    const queues = queuesOf();
    const { logger, lines } = capturedLogger();
    const scheduler = new Scheduler({ queues, logger });
    expect(await scheduler.published([{ id: "msg_due", status: "pending", synchronous: false }], { attemptsSynchronousItself: true })).toBe(
      true,
    );
    expect(await scheduler.retryAt("msg_later", new Date(Date.now() + 3_600_000))).toBe(true);
    expect(await queues.queue(QUEUES.deliveries).getJobState("msg_due")).toBe("waiting");
    expect(await queues.queue(QUEUES.deliveries).getJobState("msg_later")).toBe("delayed");
    expect(lines).toEqual([]);
  });

  it("puts a traced publish's trace context in its deliveries' jobs, and a flow call's in its flow's", async () => {
    const queues = queuesOf();
    const scheduler = new Scheduler({ queues, logger: capturedLogger().logger });
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    await scheduler.published(
      [
        { id: "msg_traced", status: "pending", synchronous: false, traceparent },
        { id: "msg_untraced", status: "pending", synchronous: false },
      ],
      { attemptsSynchronousItself: true },
    );
    await scheduler.flowsDue(["exe_traced", "exe_untraced"], undefined, [traceparent, undefined]);
    expect((await queues.queue(QUEUES.deliveries).getJob("msg_traced"))?.data).toEqual({ v: 1, deliveryId: "msg_traced", traceparent });
    expect((await queues.queue(QUEUES.deliveries).getJob("msg_untraced"))?.data).toEqual({ v: 1, deliveryId: "msg_untraced" });
    expect((await queues.queue(QUEUES.flows).getJob("exe_traced"))?.data).toEqual({ v: 1, executionId: "exe_traced", traceparent });
    expect((await queues.queue(QUEUES.flows).getJob("exe_untraced"))?.data).toEqual({ v: 1, executionId: "exe_untraced" });
  });

  it("never throws when Redis is unreachable: it gives up, logs once, and answers false", async () => {
    const port = await freePort(); // nothing listens there
    const unreachable = createRedis(`redis://127.0.0.1:${port}`, "producer");
    unreachable.on("error", () => undefined);
    const { logger, lines } = capturedLogger();
    const scheduler = new Scheduler({ queues: new JobQueues(unreachable, redis.prefix), logger });
    try {
      expect(await scheduler.due(["msg_1", "msg_2"])).toBe(false);
      expect(await scheduler.dueAgain("msg_3")).toBe(false);
    } finally {
      unreachable.disconnect();
    }
    expect(lines.map((line) => [line.msg, line.deliveries])).toEqual([
      ["enqueue failed; the sweeper will enqueue these deliveries", 2],
      ["enqueue failed; the sweeper will enqueue these deliveries", 1],
    ]);
  });

  it("fails on purpose at the configured rate (fault injection), adding nothing", async () => {
    const queues = queuesOf();
    const { logger, lines } = capturedLogger();
    const scheduler = new Scheduler({ queues, logger, enqueueFailureRate: 1 });
    expect(await scheduler.due(["msg_injected"])).toBe(false);
    expect(await queues.queue(QUEUES.deliveries).getJobState("msg_injected")).toBe("unknown");
    expect(lines[0]?.err).toBe("injected enqueue failure (test configuration)");
  });
});
