import { loadConfig } from "@hookline/config";
import { createLogger } from "@hookline/core";
import { startOtlpCollector, type OtlpCollector } from "@hookline/testing";
import { startTelemetry } from "../src/index.js";

const KEY = Buffer.alloc(32, 1).toString("base64");
const logger = createLogger({ level: "silent", name: "telemetry-test" });
const CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

let collector: OtlpCollector;
beforeAll(async () => {
  collector = await startOtlpCollector();
});
afterAll(() => collector.close());

const tracingEnv = (env: Record<string, string> = {}) =>
  loadConfig({
    ENCRYPTION_KEY: KEY,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_SERVICE_NAME: "telemetry-test",
    ...env,
  }).tracing;

describe("startTelemetry", () => {
  it("gives no tracing when the configuration leaves it off", async () => {
    const telemetry = await startTelemetry(loadConfig({ ENCRYPTION_KEY: KEY }).tracing, { serviceName: "off", logger });
    expect(telemetry.tracing).toBeUndefined();
    await telemetry.shutdown();
  });

  it("exports spans with their parents: a caller's traceparent, a span of the process, a job's traceparent", async () => {
    const telemetry = await startTelemetry(tracingEnv(), { serviceName: "unused", logger });
    const tracing = telemetry.tracing!;
    const publish = tracing.start("publish", { kind: "producer", parent: CALLER, attributes: { "hookline.event.id": "evt_1" } });
    const enqueue = tracing.start("enqueue", { parent: publish });
    enqueue.fail("timeout");
    enqueue.end();
    const carried = publish.traceparent();
    publish.end();
    const job = tracing.start("job", { kind: "consumer", parent: carried });
    job.set({ "hookline.attempt.number": 2, "hookline.synchronous": false });
    job.end();
    const fresh = tracing.start("root", { parent: "not a traceparent" });
    fresh.end();
    await telemetry.shutdown();

    const spans = await collector.waitFor((all) => all.filter((s) => s.service === "telemetry-test").length >= 4);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName.publish).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      kind: 4,
      attributes: { "hookline.event.id": "evt_1" },
    });
    expect(carried).toBe(`00-${byName.publish!.traceId}-${byName.publish!.spanId}-01`);
    expect(byName.enqueue).toMatchObject({ parentSpanId: byName.publish!.spanId, statusCode: 2, attributes: { "error.type": "timeout" } });
    expect(byName.job).toMatchObject({
      traceId: byName.publish!.traceId,
      parentSpanId: byName.publish!.spanId,
      kind: 5,
      attributes: { "hookline.attempt.number": 2, "hookline.synchronous": false },
    });
    expect(byName.root!.parentSpanId).toBeUndefined();
    expect(byName.root!.traceId).not.toBe(byName.publish!.traceId);
  });

  it("keeps a caller's decision not to sample, and carries it on", async () => {
    const before = collector.spans.length;
    const telemetry = await startTelemetry(tracingEnv({ OTEL_SERVICE_NAME: "unsampled" }), { serviceName: "unused", logger });
    const span = telemetry.tracing!.start("publish", { parent: CALLER.replace(/01$/, "00") });
    expect(span.traceparent()).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    span.end();
    await telemetry.shutdown();
    expect(collector.spans.slice(before).filter((s) => s.service === "unsampled")).toEqual([]);
  });
});
