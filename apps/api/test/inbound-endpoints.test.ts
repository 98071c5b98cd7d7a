import { startHarness, type Harness } from "./harness.js";

interface EnvironmentBody {
  id: string;
  name: string;
  kind: "preview" | "live";
  brand_ids: string[];
}
interface InboundEndpointBody {
  id: string;
  name: string;
  description: string | null;
  path: string;
  method: string;
  access_level: string;
  brand_ids: string[];
  workflow: { enabled: boolean; latest_version: number | null; published_version: number | null };
  urls: { environment_id: string; kind: string; url: string }[];
}
interface ErrorBody {
  error: { code: string; message: string; details: { field: string; message: string }[] };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const environments = async (request = h.request) => (await request<EnvironmentBody[]>("GET", "/v1/environments")).body;
const createEndpoint = (body: Record<string, unknown>, request = h.request) =>
  request<InboundEndpointBody & ErrorBody>("POST", "/v1/inbound_endpoints", { body: { name: "e", method: "POST", ...body } });

describe("environments", () => {
  it("start as preview and live for a new tenant, each with its own sk_/pk_ key pair", async () => {
    const tenant = await h.newTenant("envs");
    const list = await environments(tenant.request);
    expect(list.map((e) => [e.name, e.kind])).toEqual([
      ["preview", "preview"],
      ["live", "live"],
    ]);
    expect(list.every((e) => /^env_[0-9a-f-]{36}$/.test(e.id))).toBe(true);
    const keys = await Promise.all(
      list.map((e) => tenant.request<{ secret_key: string; public_key: string }>("GET", `/v1/environments/${e.id}/keys`)),
    );
    for (const { status, body } of keys) {
      expect(status).toBe(200);
      expect(body.secret_key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
      expect(body.public_key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    }
    expect(keys[0]!.body.secret_key).not.toBe(keys[1]!.body.secret_key);
    // Stored sealed and hashed, never as given.
    const rows = await h.db.pool.query<{ secret_key: string; public_key: string }>(
      `SELECT secret_key, public_key FROM environments WHERE tenant_id = $1`,
      [tenant.tenantId],
    );
    for (const row of rows.rows) {
      expect(row.secret_key).toMatch(/^enc:v1:/);
      expect(row.public_key).toMatch(/^enc:v1:/);
    }
  });

  it("are created, renamed, rotated and deleted, but never the last live one", async () => {
    const tenant = await h.newTenant("env-crud");
    const created = await tenant.request<EnvironmentBody>("POST", "/v1/environments", { body: { name: "staging", kind: "preview" } });
    expect(created.status).toBe(201);
    const renamed = await tenant.request<EnvironmentBody>("PATCH", `/v1/environments/${created.body.id}`, { body: { name: "qa" } });
    expect(renamed.body.name).toBe("qa");

    const before = await tenant.request<{ secret_key: string; public_key: string }>("GET", `/v1/environments/${created.body.id}/keys`);
    const publicOnly = await tenant.request<{ secret_key: string; public_key: string }>(
      "POST",
      `/v1/environments/${created.body.id}/keys/rotate`,
      {
        body: { key: "public_key" },
      },
    );
    expect(publicOnly.body.secret_key).toBe(before.body.secret_key);
    expect(publicOnly.body.public_key).not.toBe(before.body.public_key);
    const both = await tenant.request<{ secret_key: string; public_key: string }>(
      "POST",
      `/v1/environments/${created.body.id}/keys/rotate`,
      { body: {} },
    );
    expect(both.body.secret_key).not.toBe(before.body.secret_key);

    expect((await tenant.request("DELETE", `/v1/environments/${created.body.id}`)).status).toBe(204);
    const live = (await environments(tenant.request)).find((e) => e.kind === "live")!;
    const refused = await tenant.request<ErrorBody>("DELETE", `/v1/environments/${live.id}`);
    expect(refused.status).toBe(409);
    const second = await tenant.request<EnvironmentBody>("POST", "/v1/environments", { body: { name: "live-2", kind: "live" } });
    expect((await tenant.request("DELETE", `/v1/environments/${live.id}`)).status).toBe(204);
    expect((await tenant.request("DELETE", `/v1/environments/${second.body.id}`)).status).toBe(409);
  });

  it("keep variables, secret ones sealed and never shown again", async () => {
    const [preview] = await environments();
    const base = `/v1/environments/${preview!.id}/variables`;
    expect((await h.request("PUT", `${base}/API_URL`, { body: { value: "https://example.com" } })).status).toBe(201);
    expect((await h.request("PUT", `${base}/STRIPE_SECRET`, { body: { value: "whsec_abc", secret: true } })).status).toBe(201);
    expect((await h.request("PUT", `${base}/API_URL`, { body: { value: "https://example.org" } })).status).toBe(200);
    const list = await h.request<{ name: string; secret: boolean; value: string | null }[]>("GET", base);
    expect(list.body.map(({ name, secret, value }) => ({ name, secret, value }))).toEqual([
      { name: "API_URL", secret: false, value: "https://example.org" },
      { name: "STRIPE_SECRET", secret: true, value: null },
    ]);
    expect(list.text).not.toContain("whsec_abc");
    const stored = await h.db.pool.query<{ value: string }>(`SELECT value FROM environment_variables WHERE name = 'STRIPE_SECRET'`);
    expect(stored.rows[0]!.value).toMatch(/^enc:v1:/);

    const reserved = await h.request<ErrorBody>("PUT", `${base}/ENVIRONMENT`, { body: { value: "x" } });
    expect(reserved.status).toBe(400);
    expect((await h.request("PUT", `${base}/1BAD`, { body: { value: "x" } })).status).toBe(400);
    expect((await h.request("DELETE", `${base}/API_URL`)).status).toBe(204);
    expect((await h.request("DELETE", `${base}/API_URL`)).status).toBe(404);
  });

  it("of another tenant are 404, like ones that do not exist", async () => {
    const other = await h.newTenant("env-other");
    const [theirs] = await environments(other.request);
    for (const [method, path, body] of [
      ["GET", `/v1/environments/${theirs!.id}`],
      ["GET", `/v1/environments/${theirs!.id}/keys`],
      ["POST", `/v1/environments/${theirs!.id}/keys/rotate`, {}],
      ["GET", `/v1/environments/${theirs!.id}/variables`],
      ["PUT", `/v1/environments/${theirs!.id}/variables/X`, { value: "1" }],
      ["PATCH", `/v1/environments/${theirs!.id}`, { name: "mine" }],
      ["DELETE", `/v1/environments/${theirs!.id}`],
    ] as const) {
      expect([method, path, (await h.request(method, path, body === undefined ? {} : { body })).status]).toEqual([method, path, 404]);
    }
  });
});

describe("inbound endpoints", () => {
  it("are created with the seed's fields and carry a URL per environment", async () => {
    const response = await createEndpoint({ name: "Stripe", description: "payments", path: "/webhook/stripe", access_level: "none" });
    expect(response.status).toBe(201);
    const envs = await environments();
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^iep_/),
      name: "Stripe",
      description: "payments",
      path: "/webhook/stripe",
      method: "POST",
      access_level: "none",
      brand_ids: [],
      workflow: { enabled: true, latest_version: null, published_version: null },
    });
    expect(response.body.urls).toEqual(
      envs.map((e) => ({ environment_id: e.id, kind: e.kind, url: `${h.api.url}/api/v1/envs/${e.id}/endpoints/webhook/stripe` })),
    );
  });

  it("default to the secret key and refuse paths that are not paths", async () => {
    const created = await createEndpoint({ path: "/defaults" });
    expect(created.body.access_level).toBe("secret_key");
    for (const path of ["webhook", "/", "/a//b", "/a/", "/:1x", "/a b", "/:id/:id"]) {
      const refused = await createEndpoint({ path });
      expect([path, refused.status, refused.body.error.details[0]?.field]).toEqual([path, 400, "path"]);
    }
    expect((await createEndpoint({ path: "/x", method: "HEAD" })).status).toBe(400);
  });

  it("refuse a path and method another endpoint already answers, or overlaps, with 409 naming it", async () => {
    const tenant = await h.newTenant("overlap");
    const first = await createEndpoint({ path: "/orders/:id" }, tenant.request);
    const same = await createEndpoint({ path: "/orders/:id" }, tenant.request);
    expect(same.status).toBe(409);
    expect(same.body.error.message).toContain(first.body.id);
    const overlapping = await createEndpoint({ path: "/orders/latest" }, tenant.request);
    expect(overlapping.status).toBe(409);
    // Another method, or another number of segments, does not overlap.
    expect((await createEndpoint({ path: "/orders/latest", method: "GET" }, tenant.request)).status).toBe(201);
    expect((await createEndpoint({ path: "/orders/:id/items" }, tenant.request)).status).toBe(201);
    // Nor does changing an endpoint into the clash get through.
    const other = await createEndpoint({ path: "/other" }, tenant.request);
    const moved = await tenant.request<ErrorBody>("PATCH", `/v1/inbound_endpoints/${other.body.id}`, { body: { path: "/orders/7" } });
    expect(moved.status).toBe(409);
  });

  it("are unique within a brand, served only where their brands are, and keep their brands from deletion", async () => {
    const tenant = await h.newTenant("brands");
    const brand = async (name: string) => (await tenant.request<{ id: string }>("POST", "/v1/brands", { body: { name } })).body.id;
    const [a, b] = [await brand("A"), await brand("B")];
    const envA = await tenant.request<EnvironmentBody>("POST", "/v1/environments", { body: { name: "a", kind: "live", brand_ids: [a] } });
    const inA = await createEndpoint({ path: "/hook", brand_ids: [a] }, tenant.request);
    expect(inA.status).toBe(201);
    expect(inA.body.urls.map((u) => u.environment_id)).toEqual([envA.body.id]);
    // The same path in another brand is fine; in the same brand, or without brands, it clashes.
    expect((await createEndpoint({ path: "/hook", brand_ids: [b] }, tenant.request)).status).toBe(201);
    expect((await createEndpoint({ path: "/hook", brand_ids: [a] }, tenant.request)).status).toBe(409);
    expect((await createEndpoint({ path: "/hook" }, tenant.request)).status).toBe(409);
    // An environment linked to both brands would serve both: refused.
    const both = await tenant.request<ErrorBody>("PATCH", `/v1/environments/${envA.body.id}`, { body: { brand_ids: [a, b] } });
    expect(both.status).toBe(409);
    // A brand an endpoint links to cannot be deleted; another tenant's brand is unknown.
    expect((await tenant.request("DELETE", `/v1/brands/${a}`)).status).toBe(409);
    const stranger = await h.newTenant("brands-other");
    expect((await createEndpoint({ path: "/x", brand_ids: [a] }, stranger.request)).status).toBe(404);
    expect((await stranger.request("GET", `/v1/brands/${a}`)).status).toBe(404);
  });

  it("are changed, listed and deleted for good", async () => {
    const tenant = await h.newTenant("iep-crud");
    const created = await createEndpoint({ path: "/one" }, tenant.request);
    const patched = await tenant.request<InboundEndpointBody>("PATCH", `/v1/inbound_endpoints/${created.body.id}`, {
      body: { name: "renamed", method: "PUT", access_level: "public_key", description: null },
    });
    expect(patched.body).toMatchObject({ name: "renamed", method: "PUT", access_level: "public_key", description: null });
    const list = await tenant.request<InboundEndpointBody[]>("GET", "/v1/inbound_endpoints");
    expect(list.body.map((e) => e.id)).toEqual([created.body.id]);
    expect((await tenant.request("DELETE", `/v1/inbound_endpoints/${created.body.id}`)).status).toBe(204);
    expect((await tenant.request("GET", `/v1/inbound_endpoints/${created.body.id}`)).status).toBe(404);
    // Another tenant's endpoint is as unknown as a deleted one.
    const mine = await createEndpoint({ path: "/mine" });
    for (const [method, path, body] of [
      ["GET", `/v1/inbound_endpoints/${mine.body.id}`],
      ["PATCH", `/v1/inbound_endpoints/${mine.body.id}`, { name: "theirs" }],
      ["DELETE", `/v1/inbound_endpoints/${mine.body.id}`],
      ["GET", `/v1/inbound_endpoints/${mine.body.id}/workflow`],
      ["PUT", `/v1/inbound_endpoints/${mine.body.id}/workflow`, { enabled: false }],
      ["POST", `/v1/inbound_endpoints/${mine.body.id}/workflow/publish`, {}],
      ["GET", `/v1/inbound_endpoints/${mine.body.id}/workflow/versions`],
      ["GET", `/v1/inbound_endpoints/${mine.body.id}/executions`],
    ] as const) {
      const status = (await tenant.request(method, path, body === undefined ? {} : { body })).status;
      expect([method, path, status]).toEqual([method, path, 404]);
    }
  });
});
