import { fileURLToPath } from "node:url";
import { createTenant } from "@hookline/db";
import {
  jsonClient,
  spawnTsProcess,
  startOtlpCollector,
  startReceiver,
  testQueuePrefix,
  useTestDatabase,
  TEST_REDIS_URL,
  type CollectedSpan,
  type JsonRequest,
  type OtlpCollector,
  type Receiver,
  type SpawnedProcess,
} from "@hookline/testing";
import { endpointFor, publish, settledDeliveries, type Published } from "../src/engine.js";

/*
 * Traces across real processes: an API and a worker, each exporting over OTLP/HTTP JSON to a
 * collector this test runs, deliver an event to a receiver that fails once and then answers 200.
 */

const API_MAIN = fileURLToPath(new URL("../../../apps/api/src/main.ts", import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL("../../../apps/worker/src/main.ts", import.meta.url));
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

const database = useTestDatabase();
const prefixes: { cleanup(): Promise<void> }[] = [];
afterAll(() => Promise.all(prefixes.map((p) => p.cleanup())));

interface Running {
  readonly request: JsonRequest;
  stop(): Promise<void>;
}

/** The API and one worker as processes, on a queue prefix of their own, with `env` added. */
async function startProcesses(env: Record<string, string>): Promise<Running> {
  const queue = testQueuePrefix();
  prefixes.push(queue);
  const common = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queue.prefix, LOG_LEVEL: "info", ...env };
  const processes: SpawnedProcess[] = [
    spawnTsProcess(API_MAIN, { ...common, HOST: "127.0.0.1", PORT: "0" }),
    spawnTsProcess(WORKER_MAIN, { ...common, RETRY_SCHEDULE: "0.05,0.05" }),
  ];
  const [api, worker] = processes as [SpawnedProcess, SpawnedProcess];
  await Promise.all([api.waitFor("Hookline API listening"), worker.waitFor("Hookline worker ready")]);
  const listening = api.lines.map((line) => JSON.parse(line) as { url?: string }).find((line) => line.url !== undefined);
  const tenant = await createTenant(database.db, { name: "traced" });
  return {
    request: jsonClient(listening!.url!, tenant.apiKey),
    async stop() {
      // SIGTERM: each process flushes its spans on the way out.
      const codes = await Promise.all(processes.map((p) => p.stop()));
      expect(codes).toEqual([0, 0]);
    },
  };
}

/** A receiver that answers 500 to the first request and 200 to the rest. */
const failingOnce = () => startReceiver((_request, index) => ({ status: index === 0 ? 500 : 200 }));

function only(spans: readonly CollectedSpan[], name: string): CollectedSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("tracing across the API and a worker", () => {
  let collector: OtlpCollector;
  let receiver: Receiver;
  let running: Running;
  let event: Published;
  let deliveryId: string;
  let endpointId: string;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    receiver = await failingOnce();
    running = await startProcesses({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "50",
    });
    // It asks for the traceparent header, so the receiver can continue the trace.
    ({ endpointId } = await endpointFor(running.request, receiver.url, ["order.paid"], { send_traceparent: true }));
    const response = await running.request<Published>("POST", "/v1/events", {
      body: { event_type: "order.paid", data: { order: 1 } },
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    });
    expect(response.status).toBe(202);
    event = response.body;
    const [delivery] = await settledDeliveries(running.request, event.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempt_count: 2 });
    deliveryId = delivery!.id;
    // Every span has reached the collector (each process exports every 50 ms, on its own).
    await collector.waitFor((spans) => {
      const count = (name: string) => spans.filter((s) => s.traceId === CALLER_TRACE && s.name === name).length;
      return count("publish") === 1 && count("enqueue") === 1 && count("deliver") === 2 && count("attempt") === 2;
    });
  });

  afterAll(async () => {
    await running?.stop();
    await receiver?.close();
    await collector?.close();
  });

  it("makes one trace of the event, under the caller's traceparent: publish, enqueue, each job run and each attempt", () => {
    const trace = collector.spans.filter((s) => s.traceId === CALLER_TRACE);
    const published = only(trace, "publish");
    expect(published).toMatchObject({
      service: "hookline-api",
      parentSpanId: CALLER_SPAN,
      kind: 4, // producer
      attributes: { "hookline.event.id": event.id, "hookline.event.type": "order.paid", "hookline.deliveries": 1 },
    });
    expect(only(trace, "enqueue")).toMatchObject({ service: "hookline-api", parentSpanId: published.spanId, statusCode: 0 });

    // A run of the job per attempt, each under the publish whose traceparent its payload carried.
    const jobs = trace.filter((s) => s.name === "deliver");
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job).toMatchObject({
        service: "hookline-worker",
        parentSpanId: published.spanId,
        kind: 5, // consumer
        attributes: { "hookline.webhook.id": deliveryId, "messaging.message.id": deliveryId, "hookline.job.outcome": "attempted" },
      });
    }

    const attempts = trace
      .filter((s) => s.name === "attempt")
      .sort((a, b) => Number(a.attributes["hookline.attempt.number"]) - Number(b.attributes["hookline.attempt.number"]));
    expect(attempts.map((a) => a.parentSpanId).sort()).toEqual(jobs.map((j) => j.spanId).sort());
    const common = {
      "hookline.webhook.id": deliveryId,
      "hookline.endpoint.id": endpointId,
      "hookline.event.id": event.id,
      "server.address": "127.0.0.1",
    };
    expect(attempts[0]).toMatchObject({
      kind: 3, // client
      statusCode: 2,
      attributes: {
        ...common,
        "hookline.attempt.number": 1,
        "http.response.status_code": 500,
        "error.type": "500",
        "hookline.attempt.outcome": "pending",
      },
    });
    expect(attempts[1]).toMatchObject({
      statusCode: 0,
      attributes: { ...common, "hookline.attempt.number": 2, "http.response.status_code": 200, "hookline.attempt.outcome": "succeeded" },
    });
    // The receiver was sent each attempt's own span as its parent.
    expect(receiver.requests.map((r) => r.headers.traceparent)).toEqual(attempts.map((a) => `00-${CALLER_TRACE}-${a.spanId}-01`));
    // Nothing of the body or the receiver's URL (which may hold a token) is in any span.
    const everything = JSON.stringify(trace);
    expect(everything).not.toContain('"order"');
    expect(everything).not.toContain(receiver.url);
  });

  /** The spans of one trace, once every name in `names` has arrived (the two processes export independently). */
  const traceOf = async (traceId: string, names: readonly string[]) =>
    (await collector.waitFor((spans) => names.every((name) => spans.some((s) => s.traceId === traceId && s.name === name)))).filter(
      (s) => s.traceId === traceId,
    );

  it("traces an inbound call and what its workflow publishes", async () => {
    const target = await startReceiver();
    try {
      await endpointFor(running.request, target.url, ["workflow.done"]);
      const envs = (await running.request<{ id: string; kind: string }[]>("GET", "/v1/environments")).body;
      const live = envs.find((e) => e.kind === "live")!;
      const endpoint = await running.request<{ id: string; urls: { environment_id: string; url: string }[] }>(
        "POST",
        "/v1/inbound_endpoints",
        { body: { name: "Traced", path: "/traced", method: "POST", access_level: "none" } },
      );
      const code = `export default async ({ utils }) => {
        const published = await utils.publish({ event_type: "workflow.done", data: { from: "inbound" } });
        return Response.json({ event: published.id });
      };`;
      expect(
        (await running.request("PUT", `/v1/inbound_endpoints/${endpoint.body.id}/workflow`, { body: { code, publish: true } })).status,
      ).toBe(200);
      const traceId = "11111111111111111111111111111111";
      const answered = await fetch(endpoint.body.urls.find((u) => u.environment_id === live.id)!.url, {
        method: "POST",
        headers: { traceparent: `00-${traceId}-${CALLER_SPAN}-01` },
        body: "{}",
      });
      expect(answered.status).toBe(200);

      const trace = await traceOf(traceId, ["inbound call", "publish", "deliver", "attempt"]);
      const call = only(trace, "inbound call");
      expect(call).toMatchObject({
        service: "hookline-api",
        parentSpanId: CALLER_SPAN,
        kind: 2, // server
        attributes: {
          "hookline.inbound_endpoint.id": endpoint.body.id,
          "http.response.status_code": 200,
          "hookline.execution.outcome": "ok",
        },
      });
      const published = only(trace, "publish");
      expect(published.parentSpanId).toBe(call.spanId);
      expect(only(trace, "deliver").parentSpanId).toBe(published.spanId);
      // This endpoint did not ask for the header.
      expect(target.requests.map((r) => r.headers.traceparent)).toEqual([undefined]);
    } finally {
      await target.close();
    }
  });

  it("traces a trigger call, the flow run it queues and what the flow publishes", async () => {
    const target = await startReceiver();
    try {
      await endpointFor(running.request, target.url, ["flow.done"]);
      const flows = [
        {
          name: "Sync",
          code: `export default async ({ utils }) => {
            await utils.publish({ event_type: "flow.done", data: { from: "flow" } });
            return { ok: true };
          };`,
        },
      ];
      const integration = await running.request<{ id: string }>("POST", "/v1/integrations", { body: { name: "Traced ERP", flows } });
      expect(integration.status).toBe(201);
      const version = await running.request<{ version: number }>("POST", `/v1/integrations/${integration.body.id}/versions`);
      const customer = await running.request<{ id: string }>("POST", "/v1/customers", { body: { name: "c", external_id: "traced-1" } });
      const instance = await running.request<{ flows: { name: string; url?: string }[] }>("POST", "/v1/instances", {
        body: { integration_id: integration.body.id, version: version.body.version, customer_id: customer.body.id },
      });
      expect(instance.status).toBe(201);
      const traceId = "22222222222222222222222222222222";
      const answered = await fetch(instance.body.flows[0]!.url!, {
        method: "POST",
        headers: { "content-type": "application/json", traceparent: `00-${traceId}-${CALLER_SPAN}-01` },
        body: "{}",
      });
      expect(answered.status).toBe(200);

      const trace = await traceOf(traceId, ["trigger call", "flow run", "publish", "deliver", "attempt"]);
      const call = only(trace, "trigger call");
      expect(call).toMatchObject({
        service: "hookline-api",
        parentSpanId: CALLER_SPAN,
        attributes: { "hookline.trigger.outcome": "queued" },
      });
      const run = only(trace, "flow run");
      expect(run).toMatchObject({
        service: "hookline-worker",
        parentSpanId: call.spanId,
        kind: 5,
        attributes: { "hookline.flow.outcome": "succeeded", "hookline.flow.attempt": 1 },
      });
      const published = only(trace, "publish");
      expect(published).toMatchObject({ service: "hookline-worker", parentSpanId: run.spanId });
      expect(only(trace, "deliver").parentSpanId).toBe(published.spanId);
    } finally {
      await target.close();
    }
  });

  it("starts a new trace at the publish when the caller sends no traceparent", async () => {
    const second = await publish(running.request, "order.paid", { order: 2 });
    await settledDeliveries(running.request, second.id);
    const spans = await collector.waitFor((all) => {
      const root = all.find((s) => s.name === "publish" && s.attributes["hookline.event.id"] === second.id);
      return root !== undefined && all.filter((s) => s.traceId === root.traceId && s.name === "deliver").length === 1;
    });
    const root = spans.find((s) => s.name === "publish" && s.attributes["hookline.event.id"] === second.id)!;
    expect(root.parentSpanId).toBeUndefined();
    expect(root.traceId).not.toBe(CALLER_TRACE);
    const job = only(
      spans.filter((s) => s.traceId === root.traceId),
      "deliver",
    );
    expect(job.parentSpanId).toBe(root.spanId);
  });
});

describe("tracing off", () => {
  it("exports nothing, even with a collector named, when OTEL_SDK_DISABLED=true, and sends no traceparent", async () => {
    const collector = await startOtlpCollector();
    const receiver = await failingOnce();
    const running = await startProcesses({
      OTEL_SDK_DISABLED: "true",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "50",
    });
    try {
      await endpointFor(running.request, receiver.url, ["order.paid"], { send_traceparent: true });
      const event = await publish(running.request, "order.paid", { order: 3 });
      const [delivery] = await settledDeliveries(running.request, event.id);
      expect(delivery).toMatchObject({ status: "succeeded", attempt_count: 2 });
      // No trace to continue: the endpoint's setting adds nothing while tracing is off.
      expect(receiver.requests.map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
    } finally {
      // Stopped first: a process that had spans would flush them now.
      await running.stop();
      await receiver.close();
      await collector.close();
    }
    expect(collector.exports).toBe(0);
  });
});
