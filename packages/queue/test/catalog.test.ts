import { MAX_ENDPOINT_TIMEOUT_SECONDS } from "@hookline/core";
import { deliverPayload, JOBS, MalformedJobError, parsePayload, QUEUES, queueSettings } from "../src/index.js";

describe("the job catalog", () => {
  it("accepts a versioned delivery job that holds an id only, and names its job by it", () => {
    expect(parsePayload(JOBS.deliver, { v: 1, deliveryId: "msg_1" })).toEqual({ v: 1, deliveryId: "msg_1" });
    expect(deliverPayload("msg_1")).toEqual({ v: 1, deliveryId: "msg_1" });
    expect(JOBS.deliver.jobId(deliverPayload("msg_1"))).toBe("msg_1");
  });

  it.each([
    [null],
    ["msg_1"],
    [{ deliveryId: "msg_1" }],
    [{ v: 2, deliveryId: "msg_1" }],
    [{ v: 1, deliveryId: "" }],
    [{ v: 1, deliveryId: "msg_1", body: "{}" }],
  ])("refuses %j as malformed", (data) => {
    expect(() => parsePayload(JOBS.deliver, data)).toThrow(MalformedJobError);
  });

  it("holds a delivery job longer than the longest endpoint timeout the API accepts", () => {
    expect(JOBS.deliver.lockDurationMs).toBeGreaterThan(MAX_ENDPOINT_TIMEOUT_SECONDS * 1_000);
    expect(queueSettings(QUEUES.deliveries).lockDurationMs).toBe(JOBS.deliver.lockDurationMs);
  });
});
