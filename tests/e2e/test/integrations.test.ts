import type { JsonRequest } from "@hookline/testing";
import { eventually, startEngine, type Engine } from "../src/engine.js";

/**
 * Integrations (seed 004): flows deployed per customer, and the three endpoint configurations
 * that route a call to the right customer's right flow. Calls are stored and answered at once; the
 * in-process worker runs the flow.
 */
let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ WORKFLOW_TIMEOUT_MS: "3000" });
});
afterAll(() => engine.close());

// Every flow answers with what it saw, so a test can tell which flow ran, for whom, with what.
const flowCode = (label: string) => `export default async ({ request, env, customer, flow }) => ({
  ran: ${JSON.stringify(label)}, flow: flow.name, attempt: flow.attempt, customer: customer ? customer.external_id : null,
  shop: env.SHOP ?? null, body: await request.text(),
});`;

interface FlowExecution {
  id: string;
  status: string;
  flow_name: string | null;
  instance_id: string | null;
  customer_id: string | null;
  attempt: number;
  answer_status: number;
  result: { ran: string; flow: string; attempt: number; customer: string | null; shop: string | null; body: string } | null;
  preprocess: { flow: string; result: unknown } | null;
  error: { code?: string; message: string } | null;
  test: boolean;
}

interface Setup {
  readonly request: JsonRequest;
  readonly tenantId: string;
  customer(externalId: string): Promise<string>;
  integration(body: Record<string, unknown>): Promise<string>;
  publish(integrationId: string): Promise<number>;
  deploy(
    body: Record<string, unknown>,
  ): Promise<{ id: string; url?: string; flows: { name: string; url?: string }[]; api_keys: Record<string, string[]> }>;
}

async function setup(): Promise<Setup> {
  const tenant = await engine.newTenant("integrations");
  const { request } = tenant;
  return {
    request,
    tenantId: tenant.tenantId,
    async customer(externalId) {
      const created = await request<{ id: string }>("POST", "/v1/customers", { body: { name: externalId, external_id: externalId } });
      expect(created.status).toBe(201);
      return created.body.id;
    },
    async integration(body) {
      const created = await request<{ id: string }>("POST", "/v1/integrations", { body: { name: "Acme ERP", ...body } });
      expect([created.status, created.text]).toEqual([201, expect.any(String)]);
      return created.body.id;
    },
    async publish(integrationId) {
      const published = await request<{ version: number }>("POST", `/v1/integrations/${integrationId}/versions`);
      expect(published.status).toBe(201);
      return published.body.version;
    },
    async deploy(body) {
      const deployed = await request<{
        id: string;
        url?: string;
        flows: { name: string; url?: string }[];
        api_keys: Record<string, string[]>;
      }>("POST", "/v1/instances", { body });
      expect([deployed.status, deployed.text]).toEqual([201, expect.any(String)]);
      return deployed.body;
    },
  };
}

async function call(url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { execution_id?: string; error?: { code: string; message: string } },
    executionId: response.headers.get("x-hookline-execution-id"),
  };
}

/** The execution once it reached one of `states` (a worker writes it). */
function settled(request: JsonRequest, id: string, states = ["succeeded", "failed", "refused"]): Promise<FlowExecution> {
  return eventually(
    async () => {
      const found = await request<FlowExecution>("GET", `/v1/executions/${id}`);
      return found.status === 200 && states.includes(found.body.status) ? found.body : undefined;
    },
    20_000,
    `execution ${id}`,
  );
}

const TWO_FLOWS = [
  { name: "Update Inventory", code: flowCode("inventory") },
  { name: "Process Order", code: flowCode("order") },
];

describe("customers", () => {
  it("have unique external ids, and every tenant has one test customer that cannot be deleted", async () => {
    const s = await setup();
    const listed = await s.request<{ id: string; is_test: boolean }[]>("GET", "/v1/customers");
    const test = listed.body.filter((c) => c.is_test);
    expect(test).toHaveLength(1);
    expect((await s.request("DELETE", `/v1/customers/${test[0]!.id}`)).status).toBe(409);
    await s.customer("abc-123");
    const twice = await s.request("POST", "/v1/customers", { body: { name: "again", external_id: "abc-123" } });
    expect(twice.status).toBe(409);
  });
});

describe("instance and flow specific endpoints (the default)", () => {
  it("give each flow of each instance its own URL; a call is answered at once and the worker runs that flow for that customer", async () => {
    const s = await setup();
    const integration = await s.integration({ flows: TWO_FLOWS });
    const version = await s.publish(integration);
    const [a, b] = [await s.customer("cust-a"), await s.customer("cust-b")];
    const ia = await s.deploy({
      integration_id: integration,
      version,
      customer_id: a,
      config: { SHOP: "a.example", TOKEN: { value: "t0p", secret: true } },
    });
    const ib = await s.deploy({ integration_id: integration, version, customer_id: b, config: { SHOP: "b.example" } });
    expect(ia.url).toBeUndefined();
    const urls = [...ia.flows, ...ib.flows].map((f) => f.url);
    expect(new Set(urls).size).toBe(4);

    const answered = await call(ia.flows.find((f) => f.name === "Process Order")!.url!, { body: { order: 7 } });
    expect(answered).toMatchObject({ status: 200, body: { execution_id: expect.stringMatching(/^exe_/) } });
    const execution = await settled(s.request, answered.body.execution_id!);
    expect(execution).toMatchObject({ status: "succeeded", flow_name: "Process Order", instance_id: ia.id, attempt: 1 });
    expect(execution.result).toEqual({
      ran: "order",
      flow: "Process Order",
      attempt: 1,
      customer: "cust-a",
      shop: "a.example",
      body: '{"order":7}',
    });
    // The secret config value is sealed and never shown.
    const instance = await s.request<{ config: Record<string, { value: string | null; secret: boolean }> }>(
      "GET",
      `/v1/instances/${ia.id}`,
    );
    expect(instance.body.config).toEqual({ SHOP: { value: "a.example", secret: false }, TOKEN: { value: null, secret: true } });
    const listed = await s.request<FlowExecution[]>("GET", `/v1/instances/${ia.id}/executions`);
    expect(listed.body.map((e) => e.id)).toEqual([answered.body.execution_id]);
  });
});

describe("instance specific endpoints", () => {
  it("read the flow's name from a header (any case) or a payload field; an unknown or missing flow is a 4xx, recorded, and nothing runs", async () => {
    const s = await setup();
    const integration = await s.integration({
      flows: TWO_FLOWS,
      endpoint_config: { type: "instance", flow_name: { header: "myFlowName", payload: "myFlowName" } },
    });
    const version = await s.publish(integration);
    const instance = await s.deploy({ integration_id: integration, version, customer_id: await s.customer("i-1") });
    expect(instance.url).toMatch(/\/api\/v1\/trigger\/[A-Za-z0-9_-]{43}$/);
    expect(instance.flows.every((f) => f.url === undefined)).toBe(true);

    const byHeader = await call(instance.url!, { headers: { MyFlowName: "Update Inventory" }, body: { item: "widgets" } });
    expect((await settled(s.request, byHeader.body.execution_id!)).result?.ran).toBe("inventory");
    const byPayload = await call(instance.url!, { body: { myFlowName: "Process Order", item: "widgets" } });
    expect((await settled(s.request, byPayload.body.execution_id!)).result?.ran).toBe("order");

    const unknown = await call(instance.url!, { body: { myFlowName: "Nope" } });
    expect(unknown.status).toBe(404);
    const missing = await call(instance.url!, { body: { item: 1 } });
    expect(missing.status).toBe(400);
    const refused = await settled(s.request, unknown.executionId!);
    expect(refused).toMatchObject({ status: "refused", answer_status: 404, result: null });
  });

  it("or run a preprocess flow whose result names the flow; both steps are one execution", async () => {
    const s = await setup();
    const preprocess = `export default async ({ request, env }) => {
      const xml = await request.text();
      return { target: xml.includes("<order") ? "Process Order" : "Update Inventory", shop: env.SHOP };
    };`;
    const integration = await s.integration({
      flows: [...TWO_FLOWS, { name: "Route", code: preprocess }],
      endpoint_config: { type: "instance", preprocess_flow: "Route", preprocess_result: { flow_key: "target" } },
    });
    const version = await s.publish(integration);
    const instance = await s.deploy({
      integration_id: integration,
      version,
      customer_id: await s.customer("pp-1"),
      config: { SHOP: "pp.example" },
    });
    const answered = await fetch(instance.url!, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<order id='1'/>",
    });
    const { execution_id } = (await answered.json()) as { execution_id: string };
    const execution = await settled(s.request, execution_id);
    expect(execution).toMatchObject({
      status: "succeeded",
      flow_name: "Process Order",
      preprocess: { flow: "Route", result: { target: "Process Order", shop: "pp.example" } },
    });
  });
});

describe("shared endpoints", () => {
  it("route by the customer's external id and the flow's name, mixing header and payload; a single-flow integration needs only the customer", async () => {
    const s = await setup();
    const integration = await s.integration({
      flows: TWO_FLOWS,
      endpoint_config: { type: "shared", flow_name: { header: "myflowname" }, customer_external_id: { payload: "myCustomerId" } },
    });
    const version = await s.publish(integration);
    const customer = await s.customer("abc-123");
    await s.deploy({ integration_id: integration, version, customer_id: customer, config: { SHOP: "abc.example" } });
    const shared = (await s.request<{ shared_url: string }>("GET", `/v1/integrations/${integration}`)).body.shared_url;
    expect(shared).toMatch(/\/api\/v1\/trigger\//);

    const routed = await call(shared, {
      headers: { myflowname: "Update Inventory" },
      body: { myCustomerId: "abc-123", item: "widgets", quantity: 5 },
    });
    expect((await settled(s.request, routed.body.execution_id!)).result).toMatchObject({
      ran: "inventory",
      customer: "abc-123",
      shop: "abc.example",
    });
    const stranger = await call(shared, { headers: { myflowname: "Update Inventory" }, body: { myCustomerId: "nobody" } });
    expect(stranger.status).toBe(404);
    const unrouted = await s.request<FlowExecution[]>("GET", `/v1/integrations/${integration}/executions?unrouted=true`);
    expect(unrouted.body.map((e) => e.id)).toEqual([stranger.executionId]);

    const single = await s.integration({
      flows: [TWO_FLOWS[0]],
      endpoint_config: { type: "shared", customer_external_id: { header: "x-customer" } },
    });
    await s.deploy({ integration_id: single, version: await s.publish(single), customer_id: customer });
    const singleUrl = (await s.request<{ shared_url: string }>("GET", `/v1/integrations/${single}`)).body.shared_url;
    const one = await call(singleUrl, { headers: { "X-Customer": "abc-123" }, body: {} });
    expect((await settled(s.request, one.body.execution_id!)).result?.ran).toBe("inventory");
  });

  it("can route with a preprocess flow that runs as a system instance, without any customer's config", async () => {
    const s = await setup();
    const preprocess = `export default async ({ request, env, customer }) => {
      const body = await request.json();
      return { who: body.account.owner, what: body.kind === "order" ? "Process Order" : "Update Inventory", sawConfig: Object.keys(env).filter((k) => k === "SHOP"), sawCustomer: customer };
    };`;
    const integration = await s.integration({
      flows: [...TWO_FLOWS, { name: "Pick", code: preprocess }],
      endpoint_config: { type: "shared", preprocess_flow: "Pick", preprocess_result: { flow_key: "what", customer_key: "who" } },
    });
    const version = await s.publish(integration);
    await s.deploy({ integration_id: integration, version, customer_id: await s.customer("owner-9"), config: { SHOP: "secret-shop" } });
    const shared = (await s.request<{ shared_url: string }>("GET", `/v1/integrations/${integration}`)).body.shared_url;
    const answered = await call(shared, { body: { account: { owner: "owner-9" }, kind: "order" } });
    const execution = await settled(s.request, answered.body.execution_id!);
    expect(execution).toMatchObject({
      status: "succeeded",
      flow_name: "Process Order",
      preprocess: { result: { who: "owner-9", what: "Process Order", sawConfig: [], sawCustomer: null } },
      result: { customer: "owner-9", shop: "secret-shop" },
    });
  });

  it("use the endpoint configuration of the latest version deployed to some customer (seed 004: versions 4, 5 and 6)", async () => {
    const s = await setup();
    const config = (header: string) => ({ type: "shared", customer_external_id: { header } });
    const integration = await s.integration({ flows: [TWO_FLOWS[0]], endpoint_config: config("x-v1") });
    for (let v = 1; v <= 6; v++) {
      await s.request("PATCH", `/v1/integrations/${integration}`, { body: { endpoint_config: config(`x-v${v}`) } });
      expect(await s.publish(integration)).toBe(v);
    }
    const [c4, c5, c6] = [await s.customer("on-4"), await s.customer("on-5"), await s.customer("on-6")];
    await s.deploy({ integration_id: integration, version: 4, customer_id: c4 });
    await s.deploy({ integration_id: integration, version: 5, customer_id: c5 });
    const shared = (await s.request<{ shared_url: string }>("GET", `/v1/integrations/${integration}`)).body.shared_url;
    const routes = async (header: string) => (await call(shared, { headers: { [header]: "on-4" }, body: {} })).status;

    expect(await routes("x-v5")).toBe(200);
    expect(await routes("x-v4")).toBe(400);
    const six = await s.deploy({ integration_id: integration, version: 6, customer_id: c6 });
    expect(await routes("x-v6")).toBe(200);
    expect(await routes("x-v5")).toBe(400);
    expect((await s.request("DELETE", `/v1/instances/${six.id}`)).status).toBe(204);
    expect(await routes("x-v5")).toBe(200);
  });
});

describe("security per flow", () => {
  it("customer keys (several, generated, or required), an organization key; a wrong or missing key is a 401 and nothing is queued", async () => {
    const s = await setup();
    const integration = await s.integration({
      flows: [
        { name: "Open", code: flowCode("open") },
        { name: "ByCustomer", code: flowCode("customer"), security: { type: "customer" } },
        { name: "Required", code: flowCode("required"), security: { type: "customer", required: true } },
        { name: "ByOrg", code: flowCode("org"), security: { type: "organization", organization_key: "org-key-0123456789abcdef" } },
      ],
    });
    const version = await s.publish(integration);
    const customer = await s.customer("sec-1");
    const refused = await s.request("POST", "/v1/instances", { body: { integration_id: integration, version, customer_id: customer } });
    expect(refused.status).toBe(400);
    const instance = await s.deploy({
      integration_id: integration,
      version,
      customer_id: customer,
      api_keys: { Required: ["customer-key-one-0123456789", "customer-key-two-0123456789"] },
    });
    expect(instance.api_keys.ByCustomer).toEqual([expect.stringMatching(/^ak_/)]);
    expect(instance.api_keys.Required).toHaveLength(2);
    const url = (flow: string) => instance.flows.find((f) => f.name === flow)!.url!;
    const status = async (flow: string, key?: string) =>
      (await call(url(flow), { headers: key === undefined ? {} : { "Api-Key": key }, body: {} })).status;

    expect(await status("Open")).toBe(200);
    expect(await status("ByCustomer")).toBe(401);
    expect(await status("ByCustomer", instance.api_keys.ByCustomer![0])).toBe(200);
    expect(await status("Required", "customer-key-two-0123456789")).toBe(200);
    expect(await status("Required", "wrong-key-0123456789")).toBe(401);
    expect(await status("ByOrg", "org-key-0123456789abcdef")).toBe(200);
    expect(await status("ByOrg", instance.api_keys.ByCustomer![0])).toBe(401);
    const executions = await s.request<FlowExecution[]>("GET", `/v1/instances/${instance.id}/executions`);
    expect(executions.body.filter((e) => e.status === "refused").map((e) => e.answer_status)).toEqual([401, 401, 401]);
    expect(executions.body.filter((e) => e.status !== "refused")).toHaveLength(4);
  });
});

describe("test invocations", () => {
  it("run the draft and always dispatch to the test customer, whatever customer the call names", async () => {
    const s = await setup();
    const integration = await s.integration({
      flows: TWO_FLOWS,
      endpoint_config: { type: "shared", flow_name: { header: "myflowname" }, customer_external_id: { payload: "myCustomerId" } },
    });
    const real = await s.customer("real-1");
    await s.deploy({
      integration_id: integration,
      version: await s.publish(integration),
      customer_id: real,
      config: { SHOP: "real.example" },
    });
    const tested = await s.request<FlowExecution>("POST", `/v1/integrations/${integration}/test`, {
      body: {
        headers: { myflowname: "Process Order" },
        body: JSON.stringify({ myCustomerId: "real-1" }),
        config: { SHOP: "test.example" },
      },
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ test: true, status: "succeeded", instance_id: null, flow_name: "Process Order" });
    expect(tested.body.result).toMatchObject({ customer: null, shop: "test.example" });
    const testCustomer = (await s.request<{ id: string; is_test: boolean }[]>("GET", "/v1/customers")).body.find((c) => c.is_test)!;
    expect(tested.body.customer_id).toBe(testCustomer.id);
    // The real customer's instance never ran.
    const instances = await s.request<{ id: string }[]>("GET", `/v1/instances?customer_id=${real}`);
    expect((await s.request<FlowExecution[]>("GET", `/v1/instances/${instances.body[0]!.id}/executions`)).body).toEqual([]);
  });
});
