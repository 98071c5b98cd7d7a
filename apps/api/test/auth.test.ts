import { jsonClient } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("POST /v1/tenants (admin)", () => {
  it("creates a tenant whose key works at once and is stored only as a hash", async () => {
    const admin = jsonClient(h.api.url, h.adminToken);
    const response = await admin<{ id: string; name: string; api_key: string }>("POST", "/v1/tenants", { body: { name: "Acme" } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id: expect.stringMatching(/^ten_/), name: "Acme", api_key: expect.stringMatching(/^key_/) });
    const asTenant = jsonClient(h.api.url, response.body.api_key);
    expect((await asTenant("GET", "/v1/endpoints")).status).toBe(200);
    const rows = await h.db.pool.query("SELECT secret_hash FROM api_keys WHERE tenant_id = $1", [response.body.id]);
    expect(rows.rows).toHaveLength(1);
    const secret = response.body.api_key.split(".")[1] ?? "";
    expect(Buffer.from(rows.rows[0].secret_hash).toString("utf8")).not.toContain(secret);
    expect(Buffer.from(rows.rows[0].secret_hash).toString("base64url")).not.toBe(secret);
  });

  it.each([
    ["no token", null],
    ["a wrong token", "wrong-admin-token-xxxxxxxx"],
    ["a tenant key", "tenant"],
  ])("refuses %s with 401", async (_case, token) => {
    const key = token === "tenant" ? h.apiKey : token;
    const before = await h.db.prisma.tenant.count();
    const response = await jsonClient(h.api.url)("POST", "/v1/tenants", { body: { name: "x" }, key });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: "unauthorized" } });
    expect(await h.db.prisma.tenant.count()).toBe(before);
  });

  it("validates the body", async () => {
    const response = await jsonClient(h.api.url, h.adminToken)("POST", "/v1/tenants", { body: { name: "" } });
    expect(response.status).toBe(400);
  });
});

describe("tenant authentication", () => {
  const anonymous = () => jsonClient(h.api.url);

  it.each([
    ["no Authorization header", {}],
    ["a Basic scheme", { authorization: "Basic dXNlcjpwYXNz" }],
    ["a malformed key", { authorization: "Bearer not-a-key" }],
    ["an unknown key", { authorization: "Bearer key_00000000-0000-7000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
  ])("answers 401 with a JSON error for %s", async (_case, headers) => {
    const response = await anonymous()("GET", "/v1/endpoints", { headers });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("refuses a key whose secret is wrong", async () => {
    const [id] = h.apiKey.split(".");
    const response = await anonymous()("GET", "/v1/endpoints", { key: `${id}.${"B".repeat(43)}` });
    expect(response.status).toBe(401);
  });
});

describe("/v1/api_keys", () => {
  it("lists, creates and revokes keys; a revoked key stops working", async () => {
    const tenant = await h.newTenant("keys");
    const created = await tenant.request<{ id: string; api_key: string; name: string }>("POST", "/v1/api_keys", { body: { name: "ci" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "ci", revoked_at: null, expires_at: null });
    const second = jsonClient(h.api.url, created.body.api_key);
    expect((await second("GET", "/v1/endpoints")).status).toBe(200);

    const list = await tenant.request<{ id: string; api_key?: string }[]>("GET", "/v1/api_keys");
    expect(list.body).toHaveLength(2);
    expect(list.body.every((k) => k.api_key === undefined)).toBe(true);

    expect((await tenant.request("DELETE", `/v1/api_keys/${created.body.id}`)).status).toBe(204);
    const refused = await second("GET", "/v1/endpoints");
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { message: "The API key has been revoked." } });
    expect((await tenant.request("GET", "/v1/endpoints")).status).toBe(200);
  });

  it("refuses a key after its expiry", async () => {
    const tenant = await h.newTenant("expiring");
    const created = await tenant.request<{ id: string; api_key: string }>("POST", "/v1/api_keys", {
      body: { expires_at: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(created.status).toBe(201);
    await h.db.prisma.apiKey.update({ where: { id: created.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await jsonClient(h.api.url, created.body.api_key)("GET", "/v1/endpoints");
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { message: "The API key has expired." } });
  });

  it.each([
    [{ expires_at: "tomorrow" }, "expires_at"],
    [{ expires_at: "2001-01-01T00:00:00Z" }, "expires_at"],
    [{ name: 5 }, "name"],
  ])("rejects %j with 400", async (body, field) => {
    const response = await h.request("POST", "/v1/api_keys", { body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { details: [expect.objectContaining({ field })] } });
  });
});
