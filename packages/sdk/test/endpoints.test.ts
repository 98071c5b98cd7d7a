import { startHarness, type Harness } from "@hookline/api/harness";
import { buildOpenApiDocument, HOOKLINE_VERSION } from "@hookline/api-contract";
import { Hookline, type Endpoint } from "../src/index.js";
import { failure } from "./support.js";

/** The endpoints resource against the real API, and how its errors reach the caller. */
let h: Harness;
let hookline: Hookline;
beforeAll(async () => {
  h = await startHarness();
  hookline = new Hookline({ apiKey: h.apiKey, baseUrl: h.api.url });
});
afterAll(() => h.close());

describe("endpoints", () => {
  it("creates, gets, updates and deletes an endpoint", async () => {
    const created = await hookline.endpoints.create({ name: "orders", url: "https://example.com/hooks", timeout_seconds: 5 });
    expect(created).toMatchObject({ id: expect.stringMatching(/^ep_/), name: "orders", status: "ACTIVE", timeout_seconds: 5 });

    expect(await hookline.endpoints.get(created.id)).toEqual(created);
    const renamed = await hookline.endpoints.update(created.id, { name: "orders-v2", headers_json: { "X-Env": "prod" } });
    expect(renamed).toMatchObject({ name: "orders-v2", url: "https://example.com/hooks", headers_json: { "X-Env": "prod" } });

    await hookline.endpoints.delete(created.id);
    const gone = await failure(hookline.endpoints.get(created.id));
    expect(gone).toMatchObject({ status: 404, code: "not_found" });
  });

  it("pauses and resumes", async () => {
    const { id } = await hookline.endpoints.create({ name: "p", url: "https://example.com/p" });
    const paused = await hookline.endpoints.pause(id);
    expect(paused).toMatchObject({ status: "PAUSED", paused_at: expect.any(String) });
    const resumed = await hookline.endpoints.resume(id);
    expect(resumed).toMatchObject({ status: "ACTIVE", paused_at: null });
  });

  it("reads and rotates the signing secret", async () => {
    const { id } = await hookline.endpoints.create({ name: "s", url: "https://example.com/s" });
    const secret = await hookline.endpoints.secret(id);
    expect(secret).toMatch(/^whsec_/);
    const rotated = await hookline.endpoints.rotateSecret(id, { grace_period_seconds: 60 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.previous_secret_expires_at).toEqual(expect.any(String));
    expect(await hookline.endpoints.secret(id)).toBe(rotated.secret);
  });

  it("sends a test event to one endpoint", async () => {
    const { id } = await hookline.endpoints.create({ name: "t", url: "https://example.com/t" });
    const sent = await hookline.endpoints.sendTestEvent(id);
    expect(sent).toEqual({ event_id: expect.stringMatching(/^evt_/), delivery_id: expect.any(String), event_type: "hookline.test" });
    const given = await hookline.endpoints.sendTestEvent(id, { event_type: "order.placed", data: { id: 1 } });
    expect(given.event_type).toBe("order.placed");
    expect(await failure(hookline.endpoints.sendTestEvent(id, { event_type: "nodots" }))).toMatchObject({ status: 400 });
  });

  it("iterates a list across pages, and fetches one page with its cursor", async () => {
    const tenant = await h.newTenant("pages");
    const client = new Hookline({ apiKey: tenant.apiKey, baseUrl: h.api.url });
    const made: Endpoint[] = [];
    for (let i = 0; i < 5; i++) made.push(await client.endpoints.create({ name: `e${i}`, url: `https://example.com/${i}` }));

    const seen: string[] = [];
    for await (const endpoint of client.endpoints.list({ limit: 2 })) seen.push(endpoint.id);
    expect(seen).toEqual(made.map((e) => e.id));

    const first = await client.endpoints.list({ limit: 2 }).page();
    expect(first.items.map((e) => e.id)).toEqual(made.slice(0, 2).map((e) => e.id));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.endpoints.list({ limit: 2, cursor: first.nextCursor }).page();
    expect(second.items.map((e) => e.id)).toEqual(made.slice(2, 4).map((e) => e.id));

    const pages = [];
    for await (const page of client.endpoints.list({ limit: 2 }).pages()) pages.push(page.items.length);
    expect(pages).toEqual([2, 2, 1]);
    expect((await client.endpoints.list().toArray()).length).toBe(5);
  });
});

describe("errors", () => {
  it("answers another tenant's endpoint as not found, with the request id", async () => {
    const other = await h.newTenant("other");
    const foreign = await new Hookline({ apiKey: other.apiKey, baseUrl: h.api.url }).endpoints.create({
      name: "theirs",
      url: "https://example.com/theirs",
    });
    const error = await failure(hookline.endpoints.get(foreign.id));
    expect(error).toMatchObject({ name: "HooklineError", status: 404, code: "not_found", details: [] });
    expect(error.requestId).toMatch(/^req_/);
    expect(error.message).toEqual(expect.any(String));
    await expect(hookline.endpoints.delete(foreign.id)).rejects.toMatchObject({ status: 404 });
  });

  it("carries every problem of an invalid body in details", async () => {
    const error = await failure(hookline.endpoints.create({ name: "", url: "not a url", timeout_seconds: 600 }));
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
    expect(new Set(error.details.map((d) => d.field))).toEqual(new Set(["name", "timeout_seconds", "url"]));
    expect(error.details).toContainEqual({ field: "timeout_seconds", message: "must be <= 60" });
  });

  it("reports a wrong API key as unauthorized", async () => {
    const stranger = new Hookline({ apiKey: "key_nope.nope", baseUrl: h.api.url });
    await expect(stranger.endpoints.list().page()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });
});

describe("hookline.raw", () => {
  it("reaches any route, typed, with the client's authentication", async () => {
    const { data, response } = await hookline.raw.GET("/v1/settings");
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ strict_event_types: false });
  });

  it("gets the document the SDK's types are generated from", async () => {
    const { data } = await hookline.raw.GET("/openapi.json");
    const generatedFrom = buildOpenApiDocument({ serverUrl: "http://localhost:3000", version: HOOKLINE_VERSION });
    expect(Object.keys(data?.paths ?? {})).toEqual(Object.keys(generatedFrom.paths));
  });
});
