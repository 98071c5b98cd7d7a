import type { Receiver, ReceivedRequest, ReplyFn } from "@hookline/testing";
import { endpointFor, publish, receiverPool, settledDeliveries, startEngine, verifyWebhook, type Engine } from "../src/engine.js";

let engine: Engine;
const receivers = receiverPool();
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await receivers.closeAll();
  await engine.close();
});

const receiver = (reply?: ReplyFn): Promise<Receiver> => receivers.start(reply);

const verify = verifyWebhook;

describe("delivery", () => {
  it("POSTs the signed envelope with the endpoint's headers, verifiable by the standardwebhooks library", async () => {
    const tenant = await engine.newTenant();
    const r = await receiver();
    const { secret, endpointId } = await endpointFor(tenant.request, `${r.url}/hooks`, ["entity.updated"], {
      headers_json: { "X-Env": "prod", Authorization: "Bearer partner-token" },
    });
    const event = await publish(tenant.request, "entity.updated", { entity_id: "e_1", name: "Acme" });
    expect(event).toMatchObject({ id: expect.stringMatching(/^evt_/), deliveries: 1 });

    const [request] = await r.waitFor(1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/hooks");
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^Hookline/),
      "x-env": "prod",
      authorization: "Bearer partner-token",
      "webhook-id": expect.stringMatching(/^msg_/),
    });
    expect(verify(secret, request as ReceivedRequest)).toEqual({
      id: event.id,
      type: "entity.updated",
      timestamp: expect.stringMatching(/Z$/),
      data: { entity_id: "e_1", name: "Acme" },
    });

    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery).toMatchObject({ id: request?.headers["webhook-id"], endpoint_id: endpointId, status: "succeeded", attempt_count: 1 });
    expect(delivery?.attempts).toEqual([
      expect.objectContaining({ attempt_number: 1, status_code: 200, error_kind: null, response_body: "ok" }),
    ]);
  });

  it("retries 500, 500, 200: three attempts with one webhook-id, each signed, then success", async () => {
    const tenant = await engine.newTenant();
    const r = await receiver((_req, i) => ({ status: i < 2 ? 500 : 200, body: i < 2 ? "boom" : "fine" }));
    const { secret } = await endpointFor(tenant.request, r.url, ["payment.*"]);
    const event = await publish(tenant.request, "payment.created", { amount: 10 });
    const requests = await r.waitFor(3);
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery?.status).toBe("succeeded");
    expect(delivery?.attempts.map((a) => a.status_code)).toEqual([500, 500, 200]);
    expect(delivery?.attempts.map((a) => a.response_body)).toEqual(["boom", "boom", "fine"]);
    expect(new Set(requests.map((q) => q.headers["webhook-id"]))).toEqual(new Set([delivery?.id]));
    for (const request of requests) expect(verify(secret, request)).toMatchObject({ id: event.id });
    expect(r.requests).toHaveLength(3);
  });

  it("honours the endpoint's timeout: a receiver slower than timeout_seconds fails as a timeout", async () => {
    const tenant = await engine.newTenant();
    // The first request is never answered until the test is over: an attempt recorded as a
    // timeout ended at the endpoint's deadline, not when the receiver answered.
    let answerTheFirst = () => undefined as void;
    const firstAnswered = new Promise<void>((resolve) => (answerTheFirst = resolve));
    const r = await receiver(async (_req, i) => {
      if (i === 0) await firstAnswered;
      return { status: 200 };
    });
    await endpointFor(tenant.request, r.url, ["slow.thing"], { timeout_seconds: 1 });
    const event = await publish(tenant.request, "slow.thing");
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    answerTheFirst();
    const [first, second] = delivery?.attempts ?? [];
    expect(first).toMatchObject({ error_kind: "timeout", status_code: null });
    // Not before the deadline either.
    expect(first?.duration_ms).toBeGreaterThanOrEqual(900);
    expect(second).toMatchObject({ status_code: 200 });
    expect(delivery?.status).toBe("succeeded");
  });

  it("counts a 302 as a failure and never follows it", async () => {
    const tenant = await engine.newTenant();
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { location: `${target.url}/elsewhere` } }));
    await endpointFor(tenant.request, r.url, ["moved.away"]);
    const event = await publish(tenant.request, "moved.away");
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery?.status).toBe("failed");
    expect(delivery?.attempts.map((a) => a.status_code)).toEqual([302, 302, 302, 302]);
    expect(target.requests).toHaveLength(0);
  });

  it("disables the endpoint on 410 Gone and stops retrying", async () => {
    const tenant = await engine.newTenant();
    const r = await receiver(() => ({ status: 410 }));
    const { endpointId } = await endpointFor(tenant.request, r.url, ["gone.away"]);
    const event = await publish(tenant.request, "gone.away");
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery).toMatchObject({ status: "failed", attempt_count: 1 });
    const endpoint = await tenant.request("GET", `/v1/endpoints/${endpointId}`);
    expect(endpoint.body).toMatchObject({
      status: "DISABLED",
      disabled_at: expect.any(String),
      disabled_reason: expect.stringContaining("410"),
    });
    // Later events are held for the disabled endpoint, not attempted.
    const later = await publish(tenant.request, "gone.away");
    const [held] = await settledDeliveries(tenant.request, later.id, ["held"]);
    expect(held?.attempt_count).toBe(0);
    expect(r.requests).toHaveLength(1);
  });

  it("schedules the next attempt no earlier than a 429's Retry-After", async () => {
    const tenant = await engine.newTenant();
    // The second request waits until the test has read the schedule the first attempt left.
    let answerTheSecond = () => undefined as void;
    const secondAnswered = new Promise<void>((resolve) => (answerTheSecond = resolve));
    const r = await receiver(async (_req, i) => {
      if (i === 0) return { status: 429, headers: { "retry-after": "1" } };
      await secondAnswered;
      return { status: 200 };
    });
    await endpointFor(tenant.request, r.url, ["rate.limited"]);
    const event = await publish(tenant.request, "rate.limited");
    await r.waitFor(2);
    const scheduled = await engine.db.prisma.delivery.findFirstOrThrow({ where: { eventId: event.id } });
    answerTheSecond();
    // The schedule alone would retry 50 ms after the attempt; Retry-After asked for a second.
    expect(scheduled).toMatchObject({ attemptCount: 1, lastStatusCode: 429 });
    expect(scheduled.nextAttemptAt!.getTime() - scheduled.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(1_000);
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery?.attempts.map((a) => a.status_code)).toEqual([429, 200]);
  });

  it("records connection errors and fails the delivery when the schedule is exhausted", async () => {
    const tenant = await engine.newTenant();
    const dead = await receiver();
    const ops = await receiver();
    const url = dead.url;
    await dead.close();
    const { endpointId } = await endpointFor(tenant.request, url, ["nobody.home"]);
    await endpointFor(tenant.request, ops.url, ["delivery.exhausted"]);
    const event = await publish(tenant.request, "nobody.home");
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery?.status).toBe("failed");
    expect(delivery?.attempts.map((a) => a.error_kind)).toEqual(["connection", "connection", "connection", "connection"]);
    // The tenant hears of it through the built-in operational event.
    const [notice] = await ops.waitFor(1);
    expect(JSON.parse(notice?.body ?? "{}")).toMatchObject({
      type: "delivery.exhausted",
      data: {
        delivery_id: delivery?.id,
        event_id: event.id,
        event_type: "nobody.home",
        endpoint_id: endpointId,
        attempts: 4,
        last_error: expect.stringMatching(/^connection/),
      },
    });
  });

  it("retries a failed delivery once more on request, with the same webhook-id", async () => {
    const tenant = await engine.newTenant();
    let healthy = false;
    const r = await receiver(() => ({ status: healthy ? 200 : 503 }));
    await endpointFor(tenant.request, r.url, ["retry.me"]);
    const event = await publish(tenant.request, "retry.me");
    const [failed] = await settledDeliveries(tenant.request, event.id);
    expect(failed).toMatchObject({ status: "failed", attempt_count: 4 });

    const notFailed = await tenant.request("POST", `/v1/deliveries/${failed?.id}/retry`);
    healthy = true;
    expect(notFailed.status).toBe(202);
    const conflict = await tenant.request("POST", `/v1/deliveries/${failed?.id}/retry`);
    expect(conflict.status).toBe(409);
    await r.waitFor(5);
    const [retried] = await settledDeliveries(tenant.request, event.id);
    expect(retried).toMatchObject({ status: "succeeded", attempt_count: 5 });
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"])).size).toBe(1);
  });

  it("fans out one delivery per subscribed endpoint, however many of its subscriptions match", async () => {
    const tenant = await engine.newTenant();
    const a = await receiver();
    const b = await receiver();
    const { endpointId } = await endpointFor(tenant.request, a.url, ["role.created"]);
    await tenant.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpointId, event_types: ["role.*", "*.created"] } });
    await endpointFor(tenant.request, b.url, ["*.created"]);
    await endpointFor(tenant.request, b.url, ["role.deleted"]);
    const event = await publish(tenant.request, "role.created");
    expect(event.deliveries).toBe(2);
    await settledDeliveries(tenant.request, event.id);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it("accepts an event nobody subscribes to with 202 and 0 deliveries", async () => {
    const tenant = await engine.newTenant();
    const response = await tenant.request("POST", "/v1/events", { body: { event_type: "nobody.cares", data: {} } });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      event_type: "nobody.cares",
      created_at: expect.any(String),
      deliveries: 0,
    });
  });

  it("keeps the attempt log equal to what the receiver saw", async () => {
    const tenant = await engine.newTenant();
    const r = await receiver((_req, i) => ({ status: i % 2 === 0 ? 500 : 204 }));
    const { endpointId } = await endpointFor(tenant.request, r.url, ["log.check"]);
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await publish(tenant.request, "log.check", { i }));
    for (const event of events) await settledDeliveries(tenant.request, event.id);
    const attempts = await engine.db.prisma.attempt.findMany({ where: { delivery: { endpointId } } });
    expect(attempts).toHaveLength(r.requests.length);
    const seen = r.requests.map((q) => String(q.headers["webhook-id"])).sort();
    expect(attempts.map((a) => a.deliveryId).sort()).toEqual(seen);
    const listed = await tenant.request<{ id: string }[]>("GET", `/v1/endpoints/${endpointId}/deliveries?status=succeeded`);
    expect(listed.body).toHaveLength(5);
    // Each delivery's attempts, in order, are what the receiver answered that webhook-id.
    const answered = new Map<string, number[]>();
    r.requests.forEach((q, i) => {
      const id = String(q.headers["webhook-id"]);
      answered.set(id, [...(answered.get(id) ?? []), i % 2 === 0 ? 500 : 204]);
    });
    const recorded = new Map<string, number[]>();
    for (const a of [...attempts].sort((x, y) => x.attemptNumber - y.attemptNumber)) {
      recorded.set(a.deliveryId, [...(recorded.get(a.deliveryId) ?? []), a.statusCode ?? 0]);
    }
    expect(recorded).toEqual(answered);
  });
});
