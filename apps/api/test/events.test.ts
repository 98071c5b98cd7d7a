import { startHarness, type Harness } from "./harness.js";

/** Publishing through the API alone (no worker): validation, fan-out rows, idempotency. */
let h: Harness;
let endpointId: string;
beforeAll(async () => {
  h = await startHarness();
  endpointId = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "t", url: "https://e.com/t" } })).body.id;
  await h.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpointId, event_types: ["invoice.*"] } });
});
afterAll(() => h.close());

const publish = (body: unknown, headers?: Record<string, string>) =>
  h.request<{ id: string; deliveries: number; event_type: string; created_at: string }>("POST", "/v1/events", { body, headers });

describe("POST /v1/events", () => {
  it("stores the event and one pending delivery per subscribed endpoint, answering 202", async () => {
    const response = await publish({ event_type: "invoice.paid", data: { amount: 5 }, object_id: "inv_1" });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^evt_/),
      event_type: "invoice.paid",
      created_at: expect.any(String),
      deliveries: 1,
    });
    const event = await h.request<{ data: unknown; object_id: string; deliveries: { status: string; endpoint_id: string }[] }>(
      "GET",
      `/v1/events/${response.body.id}`,
    );
    expect(event.body).toMatchObject({
      data: { amount: 5 },
      object_id: "inv_1",
      deliveries: [{ status: "pending", endpoint_id: endpointId }],
    });
  });

  it.each([
    [{ data: {} }, "event_type", "is required"],
    [{ event_type: "invoice.paid" }, "data", "is required"],
    [{ event_type: "invoice", data: {} }, "event_type", "must have the form object.action, like entity.updated"],
    [{ event_type: "invoice.*", data: {} }, "event_type", "segments must be letters, digits, _ or -"],
    [{ event_type: "invoice.paid", data: [1, 2] }, "data", "must be object"],
    [{ event_type: "invoice.paid", data: "x" }, "data", "must be object"],
    [{ event_type: "invoice.paid", data: {}, object_id: 7 }, "object_id", "must be string"],
    [{ event_type: "invoice.paid", data: {}, extra: true }, "extra", "is not a known field"],
  ])("rejects %j with 400 and stores nothing", async (body, field, message) => {
    const before = await h.db.prisma.event.count();
    const response = await publish(body);
    expect(response.status).toBe(400);
    expect((response.body as unknown as { error: { details: unknown[] } }).error.details).toContainEqual({ field, message });
    expect(await h.db.prisma.event.count()).toBe(before);
  });

  it("returns the original event for a repeated idempotency key and creates nothing", async () => {
    const first = await publish({ event_type: "invoice.sent", data: {}, idempotency_key: "order-42" });
    const again = await publish({ event_type: "invoice.sent", data: { changed: true }, idempotency_key: "order-42" });
    const viaHeader = await publish({ event_type: "invoice.sent", data: {} }, { "Idempotency-Key": "order-42" });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(viaHeader.body).toEqual(first.body);
    expect(await h.db.prisma.event.count({ where: { idempotencyKey: "order-42" } })).toBe(1);
    expect(await h.db.prisma.delivery.count({ where: { eventId: first.body.id } })).toBe(1);
  });

  it("creates one event when the same key arrives many times at once", async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => publish({ event_type: "invoice.void", data: {}, idempotency_key: "race-1" })),
    );
    expect(responses.every((r) => r.status === 202)).toBe(true);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await h.db.prisma.event.count({ where: { idempotencyKey: "race-1" } })).toBe(1);
  });

  it("rejects a body key that differs from the Idempotency-Key header", async () => {
    const response = await publish({ event_type: "invoice.sent", data: {}, idempotency_key: "a" }, { "Idempotency-Key": "b" });
    expect(response.status).toBe(400);
  });

  it("holds the deliveries of a paused endpoint instead of queueing them", async () => {
    const tenant = await h.newTenant();
    const ep = (await tenant.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "p", url: "https://e.com/p" } })).body.id;
    await tenant.request("POST", "/v1/subscriptions", { body: { endpoint_id: ep, event_types: ["a.b"] } });
    await tenant.request("PATCH", `/v1/endpoints/${ep}`, { body: { status: "PAUSED" } });
    const event = await tenant.request<{ id: string }>("POST", "/v1/events", { body: { event_type: "a.b", data: {} } });
    const deliveries = await tenant.request<{ status: string }[]>("GET", `/v1/endpoints/${ep}/deliveries?status=held`);
    expect(deliveries.body).toHaveLength(1);
    expect((await tenant.request("GET", `/v1/events/${event.body.id}`)).body).toMatchObject({ deliveries: [{ status: "held" }] });
  });
});

describe("inspection routes", () => {
  it("answers 404 for unknown events and deliveries, and 409 when retrying one that has not failed", async () => {
    expect((await h.request("GET", "/v1/events/evt_00000000-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await h.request("GET", "/v1/deliveries/msg_00000000-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await h.request("GET", "/v1/endpoints/ep_00000000-0000-7000-8000-000000000000/deliveries")).status).toBe(404);
    const event = await publish({ event_type: "invoice.paid", data: {} });
    const delivery = (await h.request<{ deliveries: { id: string }[] }>("GET", `/v1/events/${event.body.id}`)).body.deliveries[0];
    const retry = await h.request("POST", `/v1/deliveries/${delivery?.id}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body).toMatchObject({ error: { code: "conflict" } });
  });

  it("rejects an unknown delivery state filter", async () => {
    const response = await h.request("GET", `/v1/endpoints/${endpointId}/deliveries?status=lost`);
    expect(response.status).toBe(400);
  });
});

describe("the idempotency window", () => {
  let short: Harness;
  beforeAll(async () => {
    short = await startHarness({ IDEMPOTENCY_WINDOW_SECONDS: "1" });
  });
  afterAll(() => short.close());

  it("answers with the first event inside the window and creates a new one after it", async () => {
    const body = { event_type: "window.test", data: {}, idempotency_key: "k-1" };
    const first = await short.request<{ id: string }>("POST", "/v1/events", { body });
    const inside = await short.request<{ id: string }>("POST", "/v1/events", { body });
    expect(inside.body.id).toBe(first.body.id);
    // Let the window lapse in the database rather than waiting a second.
    await short.db.pool.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second'`);
    const after = await short.request<{ id: string }>("POST", "/v1/events", { body });
    expect(after.status).toBe(202);
    expect(after.body.id).not.toBe(first.body.id);
    expect(after.headers.get("idempotent-replayed")).toBeNull();
    const again = await short.request<{ id: string }>("POST", "/v1/events", { body });
    expect(again.body.id).toBe(after.body.id);
  });
});
