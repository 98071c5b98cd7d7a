import { startHarness, type Harness } from "./harness.js";

/** POST /v1/events/batch: many events, one transaction, all or nothing. */
let h: Harness;
let first: string;
let second: string;
beforeAll(async () => {
  h = await startHarness();
  first = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "a", url: "https://e.com/a" } })).body.id;
  second = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "b", url: "https://e.com/b" } })).body.id;
  await h.request("POST", "/v1/subscriptions", { body: { endpoint_id: first, event_types: ["order.*"] } });
  await h.request("POST", "/v1/subscriptions", { body: { endpoint_id: second, event_types: ["order.paid"] } });
  await h.request("POST", "/v1/event_types", { body: { name: "order.typed", schema: { type: "object", required: ["total"] } } });
});
afterAll(() => h.close());

type Result = { id: string; event_type: string; created_at: string; deliveries: number; replayed: boolean };
const batch = (events: unknown[]) => h.request<Result[]>("POST", "/v1/events/batch", { body: { events } });
const counts = async () => ({ events: await h.db.prisma.event.count(), deliveries: await h.db.prisma.delivery.count() });

describe("POST /v1/events/batch", () => {
  it("publishes every event in order, fanned out like single publishes, in one answer", async () => {
    const response = await batch([
      { event_type: "order.created", data: { n: 1 } },
      { event_type: "order.paid", data: { n: 2 }, object_id: "o_2" },
      { event_type: "invoice.sent", data: { n: 3 } },
      { event_type: "order.created", data: { n: 4 } },
    ]);
    expect(response.status).toBe(202);
    expect(response.body.map((r) => [r.event_type, r.deliveries, r.replayed])).toEqual([
      ["order.created", 1, false],
      ["order.paid", 2, false],
      ["invoice.sent", 0, false],
      ["order.created", 1, false],
    ]);
    // Deliveries to one endpoint are in the batch's order (their seq is publish order).
    const toFirst = await h.db.prisma.delivery.findMany({
      where: { endpointId: first },
      orderBy: { seq: "asc" },
      include: { event: true },
    });
    expect(toFirst.slice(-3).map((d) => (d.event.data as { n: number }).n)).toEqual([1, 2, 4]);
    expect(toFirst.every((d) => d.status === "pending")).toBe(true);
    const paid = await h.request<{ object_id: string; deliveries: { endpoint_id: string }[] }>("GET", `/v1/events/${response.body[1]!.id}`);
    expect(paid.body.object_id).toBe("o_2");
    expect(paid.body.deliveries.map((d) => d.endpoint_id).sort()).toEqual([first, second].sort());
  });

  it.each([
    [
      [
        { event_type: "order.created", data: {} },
        { event_type: "order", data: {} },
      ],
      400,
      "events.1.event_type",
    ],
    [[{ event_type: "order.created", data: {} }, { event_type: "order.created" }], 400, "events.1.data"],
    [
      [
        { event_type: "order.typed", data: { total: 1 } },
        { event_type: "order.typed", data: {} },
      ],
      422,
      "events.1.data.total",
    ],
    [[{ event_type: "endpoint.disabled", data: {} }], 422, "events.0.event_type"],
    [
      [
        { event_type: "order.created", data: {}, idempotency_key: "k" },
        { event_type: "order.paid", data: {}, idempotency_key: "k" },
      ],
      400,
      "events.1.idempotency_key",
    ],
    [[], 400, "events"],
    [Array.from({ length: 501 }, () => ({ event_type: "order.created", data: {} })), 400, "events"],
  ])("refuses the whole batch when one event is bad (%#), naming it, and writes nothing", async (events, status, field) => {
    const before = await counts();
    const response = await h.request<{ error: { details: { field: string }[] } }>("POST", "/v1/events/batch", { body: { events } });
    expect(response.status).toBe(status);
    expect(response.body.error.details.map((d) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it("replays events whose idempotency key was used before, and publishes the rest", async () => {
    const earlier = await h.request<{ id: string }>("POST", "/v1/events", {
      body: { event_type: "order.created", data: {}, idempotency_key: "batch-key-1" },
    });
    const response = await batch([
      { event_type: "order.created", data: {}, idempotency_key: "batch-key-1" },
      { event_type: "order.created", data: {}, idempotency_key: "batch-key-2" },
    ]);
    expect(response.status).toBe(202);
    expect(response.body[0]).toMatchObject({ id: earlier.body.id, replayed: true, deliveries: 1 });
    expect(response.body[1]).toMatchObject({ replayed: false, deliveries: 1 });
    const again = await batch([{ event_type: "order.created", data: {}, idempotency_key: "batch-key-2" }]);
    expect(again.body[0]).toMatchObject({ id: response.body[1]!.id, replayed: true });
  });
});
