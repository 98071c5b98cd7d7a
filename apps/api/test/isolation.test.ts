import type { Express } from "express";
import { routeTable } from "../src/http/route-table.js";
import { startHarness, type Harness } from "./harness.js";

/**
 * Walks every route that takes an id with another tenant's key: each must answer 404, exactly
 * like an id that does not exist, and the resource must be unchanged afterwards.
 */
let h: Harness;
let owned: {
  recovery: string;
  endpoint: string;
  subscription: string;
  apiKey: string;
  event: string;
  delivery: string;
  setting: string;
  webhook: string;
  environment: string;
  variable: string;
  brand: string;
  inbound: string;
  version: string;
  execution: string;
  customer: string;
  integration: string;
  instance: string;
  listen: string;
};
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
  const environment = (await h.request<{ id: string; kind: string }[]>("GET", "/v1/environments")).body.find(
    (e) => e.kind === "preview",
  )!.id;
  await h.request("PUT", `/v1/environments/${environment}/variables/MY_VAR`, { body: { value: "mine" } });
  const brand = (await h.request<{ id: string }>("POST", "/v1/brands", { body: { name: "mine" } })).body.id;
  const inbound = (
    await h.request<{ id: string }>("POST", "/v1/inbound_endpoints", {
      body: { name: "mine", path: "/mine", method: "POST", access_level: "none" },
    })
  ).body.id;
  await h.request("PUT", `/v1/inbound_endpoints/${inbound}/workflow`, {
    body: { code: "export default async () => new Response('mine');" },
  });
  const called = await fetch(`${h.api.url}/api/v1/envs/${environment}/endpoints/mine`, { method: "POST" });
  const execution = called.headers.get("x-hookline-execution-id") ?? "";
  // Executions are written just after the answer.
  while ((await h.db.pool.query(`SELECT 1 FROM executions WHERE id = $1`, [execution])).rowCount === 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const customer = (await h.request<{ id: string }>("POST", "/v1/customers", { body: { name: "mine", external_id: "mine-1" } })).body.id;
  const integration = (
    await h.request<{ id: string }>("POST", "/v1/integrations", {
      body: { name: "mine", flows: [{ name: "only", code: "export default async () => ({ ok: true });" }] },
    })
  ).body.id;
  await h.request("POST", `/v1/integrations/${integration}/versions`);
  const instance = (
    await h.request<{ id: string }>("POST", "/v1/instances", { body: { integration_id: integration, version: 1, customer_id: customer } })
  ).body.id;
  const listen = (await h.request<{ id: string }>("POST", "/v1/listen", { body: {} })).body.id;
  const recovery = (
    await h.request<{ id: string }>("POST", `/v1/endpoints/${endpoint}/recover`, { body: { since: "2000-01-01T00:00:00Z" } })
  ).body.id;
  owned = {
    recovery,
    listen,
    endpoint,
    subscription,
    apiKey,
    event,
    delivery,
    setting,
    webhook,
    environment,
    variable: "MY_VAR",
    brand,
    inbound,
    version: "1",
    execution,
    customer,
    integration,
    instance,
  };
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
  { method: "POST", path: (ids) => `/v1/endpoints/${ids.endpoint}/test`, body: {} },
  { method: "GET", path: (ids) => `/v1/endpoints/${ids.endpoint}/recoveries/${ids.recovery}` },
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
  { method: "GET", path: (ids) => `/v1/environments/${ids.environment}` },
  { method: "PATCH", path: (ids) => `/v1/environments/${ids.environment}`, body: { name: "theirs" } },
  { method: "DELETE", path: (ids) => `/v1/environments/${ids.environment}` },
  { method: "GET", path: (ids) => `/v1/environments/${ids.environment}/keys` },
  { method: "POST", path: (ids) => `/v1/environments/${ids.environment}/keys/rotate`, body: {} },
  { method: "GET", path: (ids) => `/v1/environments/${ids.environment}/variables` },
  { method: "PUT", path: (ids) => `/v1/environments/${ids.environment}/variables/${ids.variable}`, body: { value: "theirs" } },
  { method: "DELETE", path: (ids) => `/v1/environments/${ids.environment}/variables/${ids.variable}` },
  { method: "GET", path: (ids) => `/v1/brands/${ids.brand}` },
  { method: "PATCH", path: (ids) => `/v1/brands/${ids.brand}`, body: { name: "theirs" } },
  { method: "DELETE", path: (ids) => `/v1/brands/${ids.brand}` },
  { method: "GET", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}` },
  { method: "PATCH", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}`, body: { access_level: "none" } },
  { method: "DELETE", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}` },
  { method: "GET", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/executions` },
  { method: "GET", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/workflow` },
  { method: "PUT", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/workflow`, body: { enabled: false } },
  { method: "GET", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/workflow/versions` },
  { method: "GET", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/workflow/versions/${ids.version}` },
  { method: "POST", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/workflow/publish`, body: {} },
  { method: "POST", path: (ids) => `/v1/inbound_endpoints/${ids.inbound}/workflow/preview`, body: {} },
  { method: "GET", path: (ids) => `/v1/executions/${ids.execution}` },
  { method: "GET", path: (ids) => `/v1/customers/${ids.customer}` },
  { method: "PATCH", path: (ids) => `/v1/customers/${ids.customer}`, body: { name: "theirs" } },
  { method: "DELETE", path: (ids) => `/v1/customers/${ids.customer}` },
  { method: "POST", path: (ids) => `/v1/customers/${ids.customer}/portal`, body: {} },
  { method: "POST", path: (ids) => `/v1/customers/${ids.customer}/portal/revoke` },
  { method: "GET", path: (ids) => `/v1/integrations/${ids.integration}` },
  { method: "PATCH", path: (ids) => `/v1/integrations/${ids.integration}`, body: { name: "theirs" } },
  { method: "DELETE", path: (ids) => `/v1/integrations/${ids.integration}` },
  { method: "POST", path: (ids) => `/v1/integrations/${ids.integration}/versions` },
  { method: "GET", path: (ids) => `/v1/integrations/${ids.integration}/executions` },
  { method: "POST", path: (ids) => `/v1/integrations/${ids.integration}/test`, body: {} },
  { method: "GET", path: (ids) => `/v1/instances/${ids.instance}` },
  { method: "PATCH", path: (ids) => `/v1/instances/${ids.instance}`, body: { version: 1 } },
  { method: "DELETE", path: (ids) => `/v1/instances/${ids.instance}` },
  { method: "GET", path: (ids) => `/v1/instances/${ids.instance}/executions` },
  { method: "GET", path: (ids) => `/v1/listen/${ids.listen}` },
  { method: "DELETE", path: (ids) => `/v1/listen/${ids.listen}` },
  { method: "GET", path: (ids) => `/v1/listen/${ids.listen}/stream` },
  {
    method: "POST",
    path: (ids) => `/v1/listen/${ids.listen}/results`,
    body: { delivery_id: "msg_x", attempt_id: "a", status_code: 200, duration_ms: 1 },
  },
  // Ids in bodies and filters are tenant-scoped too.
  { method: "POST", path: () => `/v1/instances`, body: { integration_id: "<integration>", version: 1, customer_id: "<customer>" } },
  { method: "POST", path: () => `/v1/subscriptions`, body: { endpoint_id: "<endpoint>", event_types: ["a.b"] } },
  { method: "POST", path: () => `/v1/environments`, body: { name: "x", kind: "preview", brand_ids: ["<brand>"] } },
  { method: "POST", path: () => `/v1/inbound_endpoints`, body: { name: "x", path: "/x", method: "GET", brand_ids: ["<brand>"] } },
];

const PLACEHOLDERS = {
  recovery: ":recovery",
  endpoint: ":endpoint",
  subscription: ":subscription",
  apiKey: ":key",
  event: ":event",
  delivery: ":delivery",
  setting: ":setting",
  webhook: ":webhook",
  environment: ":environment",
  variable: ":variable",
  brand: ":brand",
  inbound: ":inbound_endpoint",
  version: ":version",
  execution: ":execution",
  customer: ":customer",
  integration: ":integration",
  instance: ":instance",
  listen: ":listen",
};
const AS_ID = {
  recovery: ":recovery_id",
  endpoint: ":id",
  subscription: ":id",
  apiKey: ":id",
  event: ":id",
  delivery: ":id",
  setting: ":id",
  webhook: ":id",
  environment: ":id",
  variable: ":variable",
  brand: ":id",
  inbound: ":id",
  version: ":version",
  execution: ":id",
  customer: ":id",
  integration: ":id",
  instance: ":id",
  listen: ":id",
};

function withIds(body: unknown): unknown {
  return (
    JSON.parse(
      JSON.stringify(body ?? null)
        .replace("<endpoint>", owned.endpoint)
        .replace("<brand>", owned.brand)
        .replace("<integration>", owned.integration)
        .replace("<customer>", owned.customer),
    ) ?? undefined
  );
}

async function snapshot() {
  const [endpoints, subscriptions, keys, events, deliveries, eventTypes, environments, variables, brands, inbound, versions, executions] =
    await Promise.all([
      h.db.prisma.endpoint.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.subscription.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.apiKey.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.event.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.delivery.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.eventType.findMany({ orderBy: { name: "asc" } }),
      h.db.prisma.environment.findMany({ orderBy: { id: "asc" }, include: { brands: true } }),
      h.db.prisma.environmentVariable.findMany({ orderBy: { name: "asc" } }),
      h.db.prisma.brand.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.inboundEndpoint.findMany({ orderBy: { id: "asc" }, include: { brands: true } }),
      h.db.prisma.workflowVersion.findMany({ orderBy: { id: "asc" } }),
      h.db.prisma.execution.findMany({ orderBy: { id: "asc" } }),
    ]);
  const all = {
    endpoints,
    subscriptions,
    keys,
    events,
    deliveries,
    eventTypes,
    environments,
    variables,
    brands,
    inbound,
    versions,
    executions,
  };
  return JSON.stringify(all, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
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
