import { MAX_ENDPOINT_TIMEOUT_SECONDS } from "@hookline/core";
import { deliverPayload, JOBS, runFlowPayload, MalformedJobError, parsePayload, QUEUES, queueSettings } from "../src/index.js";

describe("the job catalog", () => {
  it("accepts a versioned delivery job that holds an id only, and names its job by it", () => {
    expect(parsePayload(JOBS.deliver, { v: 1, deliveryId: "msg_1" })).toEqual({ v: 1, deliveryId: "msg_1" });
    expect(deliverPayload("msg_1")).toEqual({ v: 1, deliveryId: "msg_1" });
    expect(JOBS.deliver.jobId(deliverPayload("msg_1"))).toBe("msg_1");
  });

  it("carries a publish's trace context when there is one, and nothing more when there is none", () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(parsePayload(JOBS.deliver, deliverPayload("msg_1", traceparent))).toEqual({ v: 1, deliveryId: "msg_1", traceparent });
    expect(parsePayload(JOBS.runFlow, runFlowPayload("exe_1", traceparent))).toEqual({ v: 1, executionId: "exe_1", traceparent });
    // Tracing off: the payload earlier versions wrote and read, not even an undefined key.
    expect(Object.keys(deliverPayload("msg_1"))).toEqual(["v", "deliveryId"]);
    expect(Object.keys(runFlowPayload("exe_1"))).toEqual(["v", "executionId"]);
  });

  it.each([
    [null],
    [{ v: 1, deliveryId: "msg_1", traceparent: "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01" }],
    [{ v: 1, deliveryId: "msg_1", traceparent: "baggage=secret" }],
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
