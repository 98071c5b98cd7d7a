import type { JsonRequest, JsonResponse } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

/** GET /v1/events and GET /v1/deliveries: the dashboard's lists, through the API alone (no worker). */
let h: Harness;
let active: string;
let paused: string;
/** Published in this order, one at a time, so their creation times differ. */
const published: { id: string; event_type: string; created_at: string }[] = [];
let middle: string;

interface EventItem {
  id: string;
  event_type: string;
  object_id: string | null;
  data: unknown;
  created_at: string;
}
interface DeliveryItem {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: string;
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);

async function publish(request: JsonRequest, event_type: string, data: Record<string, unknown>, object_id?: string) {
  const response = await request<{ id: string; event_type: string; created_at: string }>("POST", "/v1/events", {
    body: { event_type, data, ...(object_id !== undefined && { object_id }) },
  });
  expect(response.status).toBe(202);
  return response.body;
}

/** Every item of a list, page by page, following `X-Next-Cursor`. */
async function everyPage<T>(path: string, limit: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const response: JsonResponse<T[]> = await h.request<T[]>(
      "GET",
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(response.status).toBe(200);
    items.push(...response.body);
    pages += 1;
    cursor = response.headers.get("x-next-cursor");
  } while (cursor !== null);
  return { items, pages };
}

beforeAll(async () => {
  h = await startHarness();
  active = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "a", url: "https://e.com/a" } })).body.id;
  paused = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "p", url: "https://e.com/p" } })).body.id;
  await h.request("POST", "/v1/subscriptions", { body: { endpoint_id: active, event_types: ["invoice.*", "order.*"] } });
  await h.request("POST", "/v1/subscriptions", { body: { endpoint_id: paused, event_types: ["invoice.*"] } });
  await h.request("PATCH", `/v1/endpoints/${paused}`, { body: { status: "PAUSED" } });
  for (let i = 0; i < 7; i++) {
    const type = i % 2 === 0 ? "invoice.paid" : "order.created";
    published.push(await publish(h.request, type, { n: i }, `obj_${i % 3}`));
    if (i === 3) {
      // A gap, so that a window can start between two events.
      await new Promise((resolve) => setTimeout(resolve, 20));
      middle = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  // Five events of one batch share their creation time: the cursor must still step through them.
  const batch = await h.request<{ id: string }[]>("POST", "/v1/events/batch", {
    body: { events: Array.from({ length: 5 }, (_, n) => ({ event_type: "batch.done", data: { n } })) },
  });
  expect(batch.status).toBe(202);
});
afterAll(() => h.close());

describe("GET /v1/events", () => {
  it("lists the tenant's events newest first, with their data and without their deliveries", async () => {
    const response = await h.request<EventItem[]>("GET", "/v1/events?limit=3");
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(3);
    expect(response.body.every((event) => event.event_type === "batch.done")).toBe(true);
    const { items } = await everyPage<EventItem>("/v1/events", 100);
    expect(items).toHaveLength(12);
    expect(ids(items.slice(5))).toEqual(ids([...published].reverse()));
    expect(items[5]).toEqual({
      id: published[6]!.id,
      event_type: "invoice.paid",
      object_id: "obj_0",
      data: { n: 6 },
      created_at: published[6]!.created_at,
    });
    const times = items.map((event) => event.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("pages with a cursor, through events that share a creation time, each once", async () => {
    const { items, pages } = await everyPage<EventItem>("/v1/events", 2);
    expect(pages).toBe(6);
    expect(new Set(ids(items)).size).toBe(12);
    expect(ids(items)).toEqual(ids((await everyPage<EventItem>("/v1/events", 100)).items));
  });

  it("keeps the filters on the next page's link", async () => {
    const first = await h.request<EventItem[]>("GET", "/v1/events?event_type=invoice.paid&limit=2");
    expect(first.headers.get("link")).toContain("event_type=invoice.paid");
    const { items } = await everyPage<EventItem>("/v1/events?event_type=invoice.paid", 1);
    expect(ids(items)).toEqual(ids(published.filter((e) => e.event_type === "invoice.paid").reverse()));
  });

  it("filters by exact type, by a type prefix ending in .*, and by object id", async () => {
    const exact = await h.request<EventItem[]>("GET", "/v1/events?event_type=order.created");
    expect(ids(exact.body)).toEqual(ids(published.filter((e) => e.event_type === "order.created").reverse()));
    const prefix = await h.request<EventItem[]>("GET", "/v1/events?event_type=invoice.*");
    expect(ids(prefix.body)).toEqual(ids(published.filter((e) => e.event_type === "invoice.paid").reverse()));
    // Without `.*` the name is exact: `invoice` alone is no type.
    expect((await h.request<EventItem[]>("GET", "/v1/events?event_type=invoice")).body).toEqual([]);
    const byObject = await h.request<EventItem[]>("GET", "/v1/events?object_id=obj_1");
    expect(ids(byObject.body)).toEqual([published[4]!.id, published[1]!.id]);
    const both = await h.request<EventItem[]>("GET", "/v1/events?object_id=obj_0&event_type=order.*");
    expect(ids(both.body)).toEqual([published[3]!.id]);
  });

  it("filters by a since/until window on the creation time, both inclusive", async () => {
    const since = await everyPage<EventItem>(`/v1/events?since=${encodeURIComponent(middle)}&event_type=invoice.*`, 1);
    expect(ids(since.items)).toEqual([published[6]!.id, published[4]!.id]);
    const until = await h.request<EventItem[]>("GET", `/v1/events?until=${encodeURIComponent(middle)}`);
    expect(ids(until.body)).toEqual(ids(published.slice(0, 4).reverse()));
    const exactly = published[2]!.created_at;
    const instant = await h.request<EventItem[]>("GET", `/v1/events?since=${exactly}&until=${exactly}`);
    expect(ids(instant.body)).toContain(published[2]!.id);
  });

  it.each([
    ["event_type=invoice.**", "event_type"],
    ["event_type=*.paid", "event_type"],
    ["event_type=", "event_type"],
    ["since=yesterday", "since"],
    ["until=2026-13-01T00:00:00Z", "until"],
    ["since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z", "until"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["cursor=nope", "cursor"],
  ])("answers %s with 400 in the one error format", async (query, field) => {
    const response = await h.request<{ error: { code: string; details: { field: string }[] } }>("GET", `/v1/events?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_error");
    expect(response.body.error.details.map((d) => d.field)).toContain(field);
  });
});

describe("GET /v1/deliveries", () => {
  it("lists deliveries across endpoints, newest first, paged", async () => {
    const { items, pages } = await everyPage<DeliveryItem>("/v1/deliveries", 3);
    // 7 events to the active endpoint, the 4 invoices also to the paused one; the batch's type has no subscriber.
    expect(items).toHaveLength(11);
    expect(pages).toBe(4);
    expect(new Set(ids(items)).size).toBe(11);
    expect(items[0]?.event_id).toBe(published[6]!.id);
    expect(items.at(-1)?.event_id).toBe(published[0]!.id);
    expect(items[0]).toMatchObject({
      status: expect.any(String),
      attempt_count: 0,
      last_status_code: null,
      created_at: expect.any(String),
    });
  });

  it("filters by status, endpoint, event and window", async () => {
    const held = await h.request<DeliveryItem[]>("GET", "/v1/deliveries?status=held");
    expect(held.body).toHaveLength(4);
    expect(held.body.every((d) => d.endpoint_id === paused && d.status === "held")).toBe(true);
    const toActive = await h.request<DeliveryItem[]>("GET", `/v1/deliveries?endpoint_id=${active}`);
    expect(toActive.body.map((d) => d.event_id)).toEqual(ids([...published].reverse()));
    const ofEvent = await h.request<DeliveryItem[]>("GET", `/v1/deliveries?event_id=${published[0]!.id}`);
    expect(ofEvent.body.map((d) => d.endpoint_id).sort()).toEqual([active, paused].sort());
    const pendingSince = await h.request<DeliveryItem[]>("GET", `/v1/deliveries?status=pending&since=${encodeURIComponent(middle)}`);
    expect(pendingSince.body.map((d) => d.event_id)).toEqual(ids(published.slice(4).reverse()));
    // The same rows as the per-endpoint list, which runs oldest first.
    const perEndpoint = await h.request<DeliveryItem[]>("GET", `/v1/endpoints/${paused}/deliveries`);
    const filtered = await h.request<DeliveryItem[]>("GET", `/v1/deliveries?endpoint_id=${paused}`);
    expect(ids(filtered.body)).toEqual(ids(perEndpoint.body).reverse());
  });

  it.each([
    ["status=lost", "status"],
    ["endpoint_id=evt_0190a1c4-0000-7000-8000-000000000000", "endpoint_id"],
    ["event_id=abc", "event_id"],
    ["since=2030-01-01", "since"],
  ])("answers %s with 400", async (query, field) => {
    const response = await h.request<{ error: { details: { field: string }[] } }>("GET", `/v1/deliveries?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d) => d.field)).toContain(field);
  });
});

describe("another tenant", () => {
  it("never sees these events or deliveries, and gets 404 for them by id", async () => {
    const other = await h.newTenant("other");
    const ep = (await other.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "o", url: "https://e.com/o" } })).body.id;
    await other.request("POST", "/v1/subscriptions", { body: { endpoint_id: ep, event_types: ["invoice.*"] } });
    const own = await publish(other.request, "invoice.paid", { secret: true }, "obj_0");

    const events = await other.request<EventItem[]>("GET", "/v1/events");
    expect(ids(events.body)).toEqual([own.id]);
    const deliveries = await other.request<DeliveryItem[]>("GET", "/v1/deliveries");
    expect(deliveries.body.map((d) => d.event_id)).toEqual([own.id]);
    // Filters naming the first tenant's rows match nothing.
    expect((await other.request("GET", `/v1/deliveries?endpoint_id=${active}`)).body).toEqual([]);
    expect((await other.request("GET", `/v1/deliveries?event_id=${published[0]!.id}`)).body).toEqual([]);
    expect((await other.request("GET", `/v1/events/${published[0]!.id}`)).status).toBe(404);
    // A cursor from the first tenant's list does not lead into it.
    const cursor = (await h.request("GET", "/v1/events?limit=1")).headers.get("x-next-cursor")!;
    const page = await other.request<EventItem[]>("GET", `/v1/events?cursor=${cursor}`);
    expect(page.status).toBe(200);
    expect(ids(page.body).every((id) => id === own.id)).toBe(true);

    // And the first tenant does not see the other's.
    expect(ids((await everyPage<EventItem>("/v1/events", 100)).items)).not.toContain(own.id);
    expect((await h.request("GET", `/v1/events/${own.id}`)).status).toBe(404);
    expect((await h.request("GET", `/v1/deliveries/${deliveries.body[0]!.id}`)).status).toBe(404);
  });
});
