import { startHarness, type Harness } from "@hookline/api/harness";
import { Hookline } from "../src/index.js";
import { failure } from "./support.js";

/**
 * Publishing and reading back through the SDK, against the API alone (no worker: deliveries
 * stay pending or held, which is what these tests look at).
 */
let h: Harness;
let hookline: Hookline;
let endpointId: string;
beforeAll(async () => {
  h = await startHarness();
  hookline = new Hookline({ apiKey: h.apiKey, baseUrl: h.api.url });
  endpointId = (await hookline.endpoints.create({ name: "orders", url: "https://example.com/orders" })).id;
  await hookline.subscriptions.create({ endpoint_id: endpointId, event_types: ["order.*"] });
});
afterAll(() => h.close());

describe("subscriptions", () => {
  it("creates, lists by endpoint, gets, updates and deletes", async () => {
    const { id: other } = await hookline.endpoints.create({ name: "other", url: "https://example.com/other" });
    const created = await hookline.subscriptions.create({ endpoint_id: other, event_types: ["role.created"] });
    expect(created).toMatchObject({ id: expect.stringMatching(/^sub_/), endpoint_id: other, event_types: ["role.created"] });

    const listed = await hookline.subscriptions.list({ endpoint_id: other }).toArray();
    expect(listed.map((s) => s.id)).toEqual([created.id]);
    expect(await hookline.subscriptions.get(created.id)).toEqual(created);
    expect(await hookline.subscriptions.update(created.id, { event_types: ["role.*"] })).toMatchObject({ event_types: ["role.*"] });

    await hookline.subscriptions.delete(created.id);
    await expect(hookline.subscriptions.get(created.id)).rejects.toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("events", () => {
  it("publishes, and shows the event with its delivery, also in the endpoint's deliveries", async () => {
    const published = await hookline.events.publish({ event_type: "order.paid", data: { amount: 5 }, object_id: "ord_1" });
    expect(published).toEqual({
      id: expect.stringMatching(/^evt_/),
      event_type: "order.paid",
      created_at: expect.any(String),
      deliveries: 1,
    });

    const event = await hookline.events.get(published.id);
    expect(event).toMatchObject({ id: published.id, data: { amount: 5 }, object_id: "ord_1" });
    expect(event.deliveries).toEqual([expect.objectContaining({ endpoint_id: endpointId, status: "pending" })]);
    const deliveryId = event.deliveries[0]!.id;

    const pending: string[] = [];
    for await (const delivery of hookline.deliveries.list(endpointId, { status: "pending", limit: 1 })) pending.push(delivery.id);
    expect(pending).toContain(deliveryId);
    expect(await hookline.deliveries.list(endpointId, { status: "succeeded" }).toArray()).toEqual([]);

    const delivery = await hookline.deliveries.get(deliveryId);
    expect(delivery).toMatchObject({ id: deliveryId, event_id: published.id, status: "pending", attempts: [] });
  });

  it("returns the first event for a repeated idempotency key, passed either way, and stores one", async () => {
    const first = await hookline.events.publish({ event_type: "order.sent", data: {} }, { idempotencyKey: "order-42" });
    const again = await hookline.events.publish({ event_type: "order.sent", data: { changed: true } }, { idempotencyKey: "order-42" });
    const inBody = await hookline.events.publish({ event_type: "order.sent", data: {}, idempotency_key: "order-42" });
    expect(again).toEqual(first);
    expect(inBody).toEqual(first);
    expect(await h.db.prisma.event.count({ where: { idempotencyKey: "order-42" } })).toBe(1);
  });

  it("holds the deliveries of a paused endpoint", async () => {
    await hookline.endpoints.pause(endpointId);
    try {
      const published = await hookline.events.publish({ event_type: "order.held", data: {} });
      expect((await hookline.events.get(published.id)).deliveries).toEqual([expect.objectContaining({ status: "held" })]);
      const held = await hookline.deliveries.list(endpointId, { status: "held" }).toArray();
      expect(held.map((d) => d.event_id)).toContain(published.id);
    } finally {
      await hookline.endpoints.resume(endpointId);
    }
  });

  it("publishes a batch in order, giving each event without an idempotency key one", async () => {
    const results = await hookline.events.publishBatch([
      { event_type: "order.created", data: { n: 1 } },
      { event_type: "other.thing", data: { n: 2 }, idempotency_key: "batch-2" },
    ]);
    expect(results).toEqual([
      expect.objectContaining({ event_type: "order.created", deliveries: 1, replayed: false }),
      expect.objectContaining({ event_type: "other.thing", deliveries: 0, replayed: false }),
    ]);
    const stored = await h.db.prisma.event.findMany({ where: { id: { in: results.map((r) => r.id) } } });
    const keyOf = (id: string) => stored.find((e) => e.id === id)?.idempotencyKey;
    expect(results.map((r) => keyOf(r.id))).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), "batch-2"]);
  });

  it("rejects an invalid event with 400 and the problems in details", async () => {
    const error = await failure(hookline.events.publish({ event_type: "order", data: {} }));
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
    expect(error.details).toContainEqual({ field: "event_type", message: "must have the form object.action, like entity.updated" });
  });

  it("answers an unknown event or delivery with 404", async () => {
    await expect(hookline.events.get("evt_00000000-0000-7000-8000-000000000000")).rejects.toMatchObject({ status: 404 });
    await expect(hookline.deliveries.get("msg_00000000-0000-7000-8000-000000000000")).rejects.toMatchObject({ status: 404 });
    await expect(hookline.deliveries.list("ep_00000000-0000-7000-8000-000000000000").page()).rejects.toMatchObject({ status: 404 });
  });

  it("refuses to retry a delivery that has not failed, with 409", async () => {
    const published = await hookline.events.publish({ event_type: "order.paid", data: {} });
    const [delivery] = (await hookline.events.get(published.id)).deliveries;
    await expect(hookline.deliveries.retry(delivery!.id)).rejects.toMatchObject({ status: 409, code: "conflict" });
  });
});

describe("the dashboard's reads", () => {
  it("lists events newest first with filters, deliveries across endpoints, and the stats", async () => {
    const since = new Date();
    const first = await hookline.events.publish({ event_type: "order.listed", data: { n: 1 }, object_id: "ord_list" });
    const second = await hookline.events.publish({ event_type: "order.listed", data: { n: 2 }, object_id: "ord_list" });
    const page = await hookline.events.list({ eventType: "order.*", objectId: "ord_list", since, limit: 1 }).page();
    expect(page.items).toEqual([
      { id: second.id, event_type: "order.listed", object_id: "ord_list", data: { n: 2 }, created_at: second.created_at },
    ]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = await hookline.events.list({ eventType: "order.listed", limit: 1 }).toArray();
    expect(all.map((e) => e.id)).toEqual([second.id, first.id]);

    const deliveries = await hookline.deliveries.list({ endpointId, since, status: "pending" }).toArray();
    expect(deliveries.map((d) => d.event_id)).toEqual([second.id, first.id]);
    // The per-endpoint list keeps its signature.
    expect((await hookline.deliveries.list(endpointId).toArray()).map((d) => d.id)).toContain(deliveries[0]!.id);

    const stats = await hookline.stats.get({ windowMinutes: 10 });
    expect(stats.deliveries_per_minute).toHaveLength(10);
    expect(stats.success_rate).toBeNull();
    expect(stats.endpoints.active).toBeGreaterThan(0);
    await expect(hookline.stats.get({ windowMinutes: 2000 })).rejects.toMatchObject({ status: 400, code: "validation_error" });
  });
});

describe("event types", () => {
  const schema = { type: "object", required: ["amount"], properties: { amount: { type: "integer", minimum: 0 } } };

  it("registers, lists, gets, updates and deletes a type", async () => {
    const created = await hookline.eventTypes.create({ name: "invoice.paid", description: "An invoice was paid", schema });
    expect(created).toMatchObject({ name: "invoice.paid", schema, deprecated: false, builtin: false });
    const names = (await hookline.eventTypes.list({ limit: 2 }).toArray()).map((t) => t.name);
    expect(names).toContain("invoice.paid");
    expect(await hookline.eventTypes.get("invoice.paid")).toEqual(created);
    expect(await hookline.eventTypes.update("invoice.paid", { deprecated: true })).toMatchObject({ deprecated: true });
    await hookline.eventTypes.delete("invoice.paid");
    await expect(hookline.eventTypes.get("invoice.paid")).rejects.toMatchObject({ status: 404 });
  });

  it("answers data that does not match the type's schema with 422 and the schema's problems", async () => {
    await hookline.eventTypes.create({ name: "refund.issued", schema });
    const error = await failure(hookline.events.publish({ event_type: "refund.issued", data: { amount: -1 } }));
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
    expect(error.details).toContainEqual({ field: "data.amount", message: "must be >= 0" });
  });

  it("answers a duplicate with 409", async () => {
    await hookline.eventTypes.create({ name: "dup.licate" });
    await expect(hookline.eventTypes.create({ name: "dup.licate" })).rejects.toMatchObject({ status: 409, code: "conflict" });
  });
});

describe("inbound endpoints", () => {
  it("creates, lists, gets, updates and deletes one, and lists its executions", async () => {
    const created = await hookline.inbound.create({ name: "stripe", path: "/webhook/stripe", method: "POST" });
    expect(created).toMatchObject({ id: expect.stringMatching(/^iep_/), path: "/webhook/stripe", access_level: "secret_key" });
    expect(created.urls).toHaveLength(2);
    expect((await hookline.inbound.list().toArray()).map((e) => e.id)).toEqual([created.id]);
    expect(await hookline.inbound.get(created.id)).toEqual(created);
    expect(await hookline.inbound.update(created.id, { description: "Stripe events" })).toMatchObject({ description: "Stripe events" });
    expect(await hookline.inbound.executions(created.id, { outcome: "ok" }).toArray()).toEqual([]);
    await hookline.inbound.delete(created.id);
    await expect(hookline.inbound.get(created.id)).rejects.toMatchObject({ status: 404 });
  });
});
