import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const PAYMENT_SCHEMA = {
  type: "object",
  required: ["amount", "currency"],
  properties: { amount: { type: "number", minimum: 0 }, currency: { type: "string", enum: ["EUR", "USD"] } },
};

describe("/v1/event_types", () => {
  it("registers, reads, lists, changes and deletes an event type", async () => {
    const t = await h.newTenant();
    const created = await t.request("POST", "/v1/event_types", {
      body: { name: "payment.created", description: "A payment was made", schema: PAYMENT_SCHEMA },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: "payment.created",
      description: "A payment was made",
      schema: PAYMENT_SCHEMA,
      deprecated: false,
      archived: false,
      builtin: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    await t.request("POST", "/v1/event_types", { body: { name: "payment.updated" } });
    await t.request("POST", "/v1/event_types", { body: { name: "role.created" } });
    const firstPage = await t.request<{ name: string }[]>("GET", "/v1/event_types?limit=2");
    expect(firstPage.body.map((e) => e.name)).toEqual(["payment.created", "payment.updated"]);
    const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.get("link") ?? "")?.[1] ?? "";
    expect((await t.request<{ name: string }[]>("GET", next)).body.map((e) => e.name)).toEqual(["role.created"]);

    const patched = await t.request("PATCH", "/v1/event_types/payment.created", { body: { deprecated: true, schema: null } });
    expect(patched.body).toMatchObject({ deprecated: true, schema: null });
    expect((await t.request("DELETE", "/v1/event_types/role.created")).status).toBe(204);
    expect((await t.request("GET", "/v1/event_types/role.created")).status).toBe(404);
  });

  it.each([
    [{ name: "payment" }, 400, "name"],
    [{ name: "payment.*" }, 400, "name"],
    [{ name: "a.b", schema: { type: "nonsense" } }, 400, "schema"],
    [{ name: "a.b", schema: "object" }, 400, "schema"],
    [{ name: "a.b", colour: "red" }, 400, "colour"],
  ])("rejects %j", async (body, status, field) => {
    const response = await h.request("POST", "/v1/event_types", { body });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { details: [expect.objectContaining({ field })] } });
  });

  it("answers 409 for a name that exists or is built in, and shows built-in types read-only", async () => {
    await h.request("POST", "/v1/event_types", { body: { name: "dup.licate" } });
    expect((await h.request("POST", "/v1/event_types", { body: { name: "dup.licate" } })).status).toBe(409);
    expect((await h.request("POST", "/v1/event_types", { body: { name: "endpoint.disabled" } })).status).toBe(409);
    const builtin = await h.request("GET", "/v1/event_types/endpoint.disabled");
    expect(builtin.body).toMatchObject({ name: "endpoint.disabled", builtin: true, schema: { type: "object" } });
    expect((await h.request("PATCH", "/v1/event_types/endpoint.disabled", { body: { deprecated: true } })).status).toBe(409);
  });
});

describe("publishing against the registry", () => {
  let t: Awaited<ReturnType<Harness["newTenant"]>>;
  beforeAll(async () => {
    t = await h.newTenant();
    await t.request("POST", "/v1/event_types", { body: { name: "payment.created", schema: PAYMENT_SCHEMA } });
    await t.request("POST", "/v1/event_types", { body: { name: "payment.legacy", deprecated: true } });
    await t.request("POST", "/v1/event_types", { body: { name: "payment.gone", archived: true } });
  });
  const publish = (event_type: string, data: unknown) => t.request("POST", "/v1/events", { body: { event_type, data } });

  it("accepts data that matches the schema", async () => {
    expect((await publish("payment.created", { amount: 5, currency: "EUR" })).status).toBe(202);
  });

  it("rejects a mismatch with 422 and the schema errors as field paths, storing nothing", async () => {
    const before = await h.db.prisma.event.count({ where: { tenantId: t.tenantId } });
    const response = await publish("payment.created", { amount: -1 });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: {
        code: "unprocessable",
        details: expect.arrayContaining([
          { field: "data.amount", message: "must be >= 0" },
          { field: "data.currency", message: "is required" },
        ]),
      },
    });
    expect(await h.db.prisma.event.count({ where: { tenantId: t.tenantId } })).toBe(before);
  });

  it("flags a deprecated type, refuses an archived one, and refuses the built-in ones", async () => {
    const deprecated = await publish("payment.legacy", {});
    expect(deprecated.status).toBe(202);
    expect(deprecated.headers.get("deprecation")).toBe("true");
    expect((await publish("payment.gone", {})).status).toBe(422);
    expect((await publish("endpoint.disabled", { endpoint_id: "x" })).status).toBe(422);
  });

  it("allows unregistered types until strict mode is on, then only registered ones", async () => {
    expect((await publish("anything.goes", {})).status).toBe(202);
    const ep = (await t.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "s", url: "https://e.com/s" } })).body.id;
    expect((await t.request("PATCH", "/v1/settings", { body: { strict_event_types: true } })).body).toMatchObject({
      strict_event_types: true,
    });

    expect((await publish("anything.goes", {})).status).toBe(422);
    expect((await publish("payment.created", { amount: 1, currency: "USD" })).status).toBe(202);
    const refused = await t.request("POST", "/v1/subscriptions", { body: { endpoint_id: ep, event_types: ["payment.*", "nothing.here"] } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { details: [{ field: "event_types.1" }] } });
    const allowed = await t.request("POST", "/v1/subscriptions", {
      body: { endpoint_id: ep, event_types: ["payment.*", "endpoint.disabled"] },
    });
    expect(allowed.status).toBe(201);

    await t.request("PATCH", "/v1/settings", { body: { strict_event_types: false } });
    expect((await t.request("GET", "/v1/settings")).body).toMatchObject({ strict_event_types: false });
  });
});
