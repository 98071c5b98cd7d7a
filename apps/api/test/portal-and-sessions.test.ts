import { jsonClient } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

/** The HTTP side of the dashboard's sessions and the portal's links; the browser side is in tests/e2e. */
let h: Harness;
let customerId: string;
beforeAll(async () => {
  h = await startHarness();
  customerId = (await h.request<{ id: string }>("POST", "/v1/customers", { body: { name: "Initech" } })).body.id;
});
afterAll(() => h.close());

async function signIn(body: unknown) {
  const response = await fetch(`${h.api.url}/dashboard/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { response, cookie: response.headers.get("set-cookie") ?? "", json: (await response.json()) as Record<string, unknown> };
}

describe("dashboard sessions", () => {
  it("exchanges an API key for an HttpOnly, SameSite=Strict cookie that stores no secret", async () => {
    const { response, cookie, json } = await signIn({ api_key: h.apiKey });
    expect(response.status).toBe(201);
    expect(json).toMatchObject({ kind: "tenant", tenant_id: h.tenantId, csrf_token: expect.any(String) });
    expect(cookie).toMatch(/^hookline_session=hls_[\w-]+; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/);
    const token = cookie.split(";")[0]!.split("=")[1]!;
    const rows = await h.db.pool.query("SELECT token_hash, tenant_id FROM dashboard_sessions WHERE tenant_id = $1", [h.tenantId]);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) expect(Buffer.from(row.token_hash).toString("utf8")).not.toContain(token);
  });

  it("marks the cookie Secure behind https", async () => {
    const response = await fetch(`${h.api.url}/dashboard/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({ api_key: h.apiKey }),
    });
    expect(response.headers.get("set-cookie")).toContain("; Secure");
  });

  it.each([
    ["a wrong key", { api_key: "key_nope" }, 401],
    ["a wrong admin token", { admin_token: "not-the-admin-token" }, 401],
    ["both", { api_key: "x", admin_token: "y" }, 400],
    ["neither", {}, 400],
  ])("refuses %s", async (_case, body, status) => {
    const { response, cookie } = await signIn(body);
    expect(response.status).toBe(status);
    expect(cookie).toBe("");
  });

  it("refuses a form-encoded sign-in (only JSON, which another site cannot send)", async () => {
    const response = await fetch(`${h.api.url}/dashboard/api/session`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `api_key=${encodeURIComponent(h.apiKey)}`,
    });
    expect(response.status).toBe(415);
  });

  it("ends the session when its API key is revoked", async () => {
    const key = await h.request<{ id: string; api_key: string }>("POST", "/v1/api_keys", { body: { name: "short-lived" } });
    const { cookie } = await signIn({ api_key: key.body.api_key });
    const session = cookie.split(";")[0]!;
    expect((await fetch(`${h.api.url}/v1/endpoints`, { headers: { cookie: session } })).status).toBe(200);
    await h.request("DELETE", `/v1/api_keys/${key.body.id}`);
    expect((await fetch(`${h.api.url}/v1/endpoints`, { headers: { cookie: session } })).status).toBe(401);
  });

  it("lets the admin's session list tenants but not act as a tenant", async () => {
    const { cookie } = await signIn({ admin_token: h.adminToken });
    const session = cookie.split(";")[0]!;
    const tenants = await fetch(`${h.api.url}/v1/tenants`, { headers: { cookie: session } });
    expect(tenants.status).toBe(200);
    expect(((await tenants.json()) as { id: string }[]).map((t) => t.id)).toContain(h.tenantId);
    expect((await fetch(`${h.api.url}/v1/endpoints`, { headers: { cookie: session } })).status).toBe(401);
  });
});

describe("portal links", () => {
  it("issues a link for the tenant's customer with every capability, for an hour by default", async () => {
    const before = Date.now();
    const response = await h.request<{ url: string; token: string; expires_at: string; capabilities: string[] }>(
      "POST",
      `/v1/customers/${customerId}/portal`,
      { body: {} },
    );
    expect(response.status).toBe(201);
    expect(response.body.url).toBe(`${h.api.url}/portal/${h.tenantId}#token=${response.body.token}`);
    expect(response.body.capabilities).toEqual(["manage_endpoints", "reveal_secrets", "retry"]);
    const lifetime = new Date(response.body.expires_at).getTime() - before;
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThan(3700_000);
    const asCustomer = jsonClient(h.api.url, response.body.token);
    const session = await asCustomer<{ customer: { id: string; name: string }; capabilities: string[] }>("GET", "/v1/portal");
    expect(session.status).toBe(200);
    expect(session.body.customer).toEqual({ id: customerId, name: "Initech" });
  });

  it.each([
    ["too short", { expires_in: 59 }],
    ["longer than a week", { expires_in: 7 * 24 * 3600 + 1 }],
    ["an unknown capability", { capabilities: ["admin"] }],
    ["an unknown field", { customer: "x" }],
  ])("refuses %s with 400", async (_case, body) => {
    const response = await h.request("POST", `/v1/customers/${customerId}/portal`, { body });
    expect(response.status).toBe(400);
  });

  it("answers 404 for another tenant's customer, and a tenant key cannot use GET /v1/portal", async () => {
    const other = await h.newTenant("other");
    expect((await other.request("POST", `/v1/customers/${customerId}/portal`, { body: {} })).status).toBe(404);
    expect((await h.request("GET", "/v1/portal")).status).toBe(403);
  });

  it("accepts only origins as frame ancestors, so a setting can never add a directive", async () => {
    for (const bad of ["https://a.example; script-src *", "javascript:alert(1)", "https://a.example/path", "'self'", "*"]) {
      const response = await h.request("PATCH", "/v1/settings", { body: { portal: { frame_ancestors: [bad] } } });
      expect([bad, response.status]).toEqual([bad, 400]);
    }
    const ok = await h.request<{ portal: { frame_ancestors: string[] } }>("PATCH", "/v1/settings", {
      body: { portal: { frame_ancestors: ["https://app.example.com", "https://*.example.org:8443"] } },
    });
    expect(ok.body.portal.frame_ancestors).toEqual(["https://app.example.com", "https://*.example.org:8443"]);
    const page = await fetch(`${h.api.url}/portal/${h.tenantId}`);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors https://app.example.com https://*.example.org:8443");
  });

  it("serves the portal page for an unknown tenant with a 404 and framing denied", async () => {
    const page = await fetch(`${h.api.url}/portal/ten_00000000-0000-7000-8000-000000000000`);
    expect(page.status).toBe(404);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
