import type { Express } from "express";
import { routeTable } from "../src/http/route-table.js";
import { startHarness, type Harness } from "./harness.js";

/**
 * Walks every route that takes an id with another tenant's key: each must answer 404, exactly
 * like an id that does not exist, and the resource must be unchanged afterwards.
 */
let h: Harness;
let owned: { endpoint: string; subscription: string; apiKey: string; event: string; delivery: string; setting: string; webhook: string };
let intruder: Awaited<ReturnType<Harness["newTenant"]>>;

beforeAll(async () => {
  h = await startHarness();
  const endpoint = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "mine", url: "https://e.com/m" } })).body.id;
  const subscription = (
    await h.request<{ id: string }>("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint, event_types: ["a.b"] } })
  ).body.id;
  const apiKey = (await h.request<{ id: string }>("POST", "/v1/api_keys", { body: { name: "second" } })).body.id;
  const event = (await h.request<{ id: string }>("POST", "/v1/events", { body: { event_type: "a.b", data: {} } })).body.id;
  const delivery = (await h.request<{ deliveries: { id: string }[] }>("GET", `/v1/events/${event}`)).body.deliveries[0]?.id ?? "";
  // Make it retryable, so that only tenancy stands between the intruder and a 202.
  await h.db.prisma.delivery.update({ where: { id: delivery }, data: { status: "failed" } });
  await h.request("POST", "/v1/event_types", { body: { name: "mine.only" } });
  const setting = (
    await h.request<{ id: string }>("POST", "/v1/webhook_settings", { body: { object_type: "role", url: "https://e.com/r" } })
  ).body.id;
  const webhook = (
    await h.request<{ id: string }>("POST", "/v1/webhooks", {
      body: {
        name: "mine",
        trigger_action: "a.b",
        url: "https://e.com/w",
        authentication: { method: "oauth", token_url: "https://e.com/token", client_id: "c", client_secret: "s" },
      },
    })
  ).body.id;
  owned = { endpoint, subscription, apiKey, event, delivery, setting, webhook };
  intruder = await h.newTenant("intruder");
});
afterAll(() => h.close());

type Route = { method: string; path: (ids: typeof owned) => string; body?: unknown };

const ROUTES: Route[] = [
  { method: "GET", path: (ids) => `/v1/endpoints/${ids.endpoint}` },
  { method: "GET", path: (ids) => `/v1/endpoints/${ids.endpoint}/secret` },
  { method: "POST", path: (ids) => `/v1/endpoints/${ids.endpoint}/secret/rotate`, body: {} },
  { method: "PATCH", path: (ids) => `/v1/endpoints/${ids.endpoint}`, body: { status: "PAUSED" } },
  { method: "DELETE", path: (ids) => `/v1/endpoints/${ids.endpoint}` },
  { method: "GET", path: (ids) => `/v1/subscriptions/${ids.subscription}` },
  { method: "PATCH", path: (ids) => `/v1/subscriptions/${ids.subscription}`, body: { event_types: ["x.y"] } },
  { method: "DELETE", path: (ids) => `/v1/subscriptions/${ids.subscription}` },
  { method: "DELETE", path: (ids) => `/v1/api_keys/${ids.apiKey}` },
  { method: "GET", path: (ids) => `/v1/endpoints/${ids.endpoint}/deliveries` },
  { method: "POST", path: (ids) => `/v1/endpoints/${ids.endpoint}/recover`, body: { since: "2000-01-01T00:00:00Z" } },
  { method: "GET", path: (ids) => `/v1/events/${ids.event}` },
  { method: "GET", path: () => `/v1/event_types/mine.only` },
  { method: "GET", path: (ids) => `/v1/webhooks/${ids.webhook}` },
  { method: "GET", path: (ids) => `/v1/webhooks/${ids.webhook}/secret` },
  { method: "PATCH", path: (ids) => `/v1/webhooks/${ids.webhook}`, body: { active: false } },
  { method: "DELETE", path: (ids) => `/v1/webhooks/${ids.webhook}` },
  { method: "GET", path: (ids) => `/v1/webhook_settings/${ids.setting}` },
  { method: "GET", path: (ids) => `/v1/webhook_settings/${ids.setting}/secret` },
  { method: "PATCH", path: (ids) => `/v1/webhook_settings/${ids.setting}`, body: { url: "https://evil.example" } },
  { method: "DELETE", path: (ids) => `/v1/webhook_settings/${ids.setting}` },
  { method: "PATCH", path: () => `/v1/event_types/mine.only`, body: { deprecated: true } },
  { method: "DELETE", path: () => `/v1/event_types/mine.only` },
  { method: "GET", path: (ids) => `/v1/deliveries/${ids.delivery}` },
  { method: "POST", path: (ids) => `/v1/deliveries/${ids.delivery}/retry` },
  // Ids in bodies and filters are tenant-scoped too.
  { method: "POST", path: () => `/v1/subscriptions`, body: { endpoint_id: "<endpoint>", event_types: ["a.b"] } },
];

const PLACEHOLDERS = {
  endpoint: ":endpoint",
  subscription: ":subscription",
  apiKey: ":key",
  event: ":event",
  delivery: ":delivery",
  setting: ":setting",
  webhook: ":webhook",
};
const AS_ID = { endpoint: ":id", subscription: ":id", apiKey: ":id", event: ":id", delivery: ":id", setting: ":id", webhook: ":id" };

function withIds(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body ?? null).replace("<endpoint>", owned.endpoint)) ?? undefined;
}

async function snapshot() {
  const [endpoints, subscriptions, keys, events, deliveries, eventTypes] = await Promise.all([
    h.db.prisma.endpoint.findMany({ orderBy: { id: "asc" } }),
    h.db.prisma.subscription.findMany({ orderBy: { id: "asc" } }),
    h.db.prisma.apiKey.findMany({ orderBy: { id: "asc" } }),
    h.db.prisma.event.findMany({ orderBy: { id: "asc" } }),
    h.db.prisma.delivery.findMany({ orderBy: { id: "asc" } }),
    h.db.prisma.eventType.findMany({ orderBy: { name: "asc" } }),
  ]);
  return JSON.stringify({ endpoints, subscriptions, keys, events, deliveries, eventTypes }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

describe("tenant isolation", () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path(PLACEHOLDERS)}`, r]))(
    "%s with another tenant's key is 404 and changes nothing",
    async (_name, route) => {
      const before = await snapshot();
      const response = await intruder.request(route.method, route.path(owned), { body: withIds(route.body) });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { code: "not_found" } });
      expect(await snapshot()).toBe(before);
    },
  );

  it("lists never show another tenant's resources", async () => {
    for (const path of ["/v1/endpoints", "/v1/subscriptions", "/v1/api_keys", `/v1/subscriptions?endpoint_id=${owned.endpoint}`]) {
      const response = await intruder.request<{ id: string }[]>("GET", path);
      expect(response.status).toBe(200);
      const ids = response.body.map((item) => item.id);
      expect(ids).not.toContain(owned.endpoint);
      expect(ids).not.toContain(owned.subscription);
      expect(ids).not.toContain(owned.apiKey);
    }
  });

  it("covers every route of the API that takes an id", () => {
    const app = h.api.server.listeners("request")[0] as unknown as Express;
    const idRoutes = routeTable(app)
      .filter((r) => r.includes(":id") || r.includes(":name"))
      .map((r) => r.replace(":name", "mine.only"));
    expect(idRoutes.length).toBeGreaterThanOrEqual(12);
    const covered = new Set(ROUTES.map((r) => `${r.method} ${r.path(AS_ID)}`));
    expect(idRoutes.filter((r) => !covered.has(r))).toEqual([]);
  });
});
