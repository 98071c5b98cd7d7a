import { Webhook } from "standardwebhooks";
import type { JsonResponse } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

interface EndpointBody {
  id: string;
  name: string;
  url: string;
  headers_json: Record<string, string>;
  timeout_seconds: number;
  status: string;
  paused_at: string | null;
  created_at: string;
  updated_at: string;
  secret?: string;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const create = (body: unknown) => h.request<EndpointBody>("POST", "/v1/endpoints", { body });

describe("POST /v1/endpoints", () => {
  it("creates an endpoint with the shape and defaults of the spec, secret not echoed", async () => {
    const response = await create({ name: "my-webhook", url: "https://example.com/webhook" });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^ep_[0-9a-f-]{36}$/),
      name: "my-webhook",
      url: "https://example.com/webhook",
      headers_json: {},
      timeout_seconds: 10,
      status: "ACTIVE",
      paused_at: null,
      created_at: expect.stringMatching(ISO_UTC),
      updated_at: expect.stringMatching(ISO_UTC),
    });
    expect(response.text).not.toContain("whsec_");
  });

  it("stores every field given, and keeps a given secret retrievable", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const response = await create({
      name: "full",
      url: "http://receiver.example:8080/hooks?x=1",
      secret,
      headers_json: { "X-Env": "prod", Authorization: "Bearer abc" },
      timeout_seconds: 30,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ headers_json: { "X-Env": "prod", Authorization: "Bearer abc" }, timeout_seconds: 30 });
    const stored = await h.request<{ secret: string }>("GET", `/v1/endpoints/${response.body.id}/secret`);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({ secret });
  });

  it("generates a Standard Webhooks secret that the reference library accepts", async () => {
    const { body } = await create({ name: "generated", url: "https://example.com/a" });
    const { body: secret } = await h.request<{ secret: string }>("GET", `/v1/endpoints/${body.id}/secret`);
    expect(secret.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(secret.secret.slice("whsec_".length), "base64").length;
    expect(bytes).toBeGreaterThanOrEqual(24);
    expect(bytes).toBeLessThanOrEqual(64);
    const wh = new Webhook(secret.secret);
    const payload = '{"ok":true}';
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(Date.now() / 1000)) };
    const signature = wh.sign("msg_1", new Date(), payload);
    expect(wh.verify(payload, { ...headers, "webhook-signature": signature })).toEqual({ ok: true });
  });

  it.each([
    ["a missing name", { url: "https://example.com" }, "name", "is required"],
    ["a missing url", { name: "x" }, "url", "is required"],
    ["a blank name", { name: "   ", url: "https://example.com" }, "name", "must not be blank"],
    ["a relative url", { name: "x", url: "/hooks" }, "url", "must be an absolute http or https URL"],
    ["an ftp url", { name: "x", url: "ftp://example.com/x" }, "url", "must be an absolute http or https URL"],
    ["a url that is a number", { name: "x", url: 42 }, "url", "must be string"],
    ["a timeout of 0", { name: "x", url: "https://e.com", timeout_seconds: 0 }, "timeout_seconds", "must be >= 1"],
    ["a fractional timeout", { name: "x", url: "https://e.com", timeout_seconds: 1.5 }, "timeout_seconds", "must be integer"],
    ["a timeout given as text", { name: "x", url: "https://e.com", timeout_seconds: "10" }, "timeout_seconds", "must be integer"],
    [
      "a secret not in whsec_ form",
      { name: "x", url: "https://e.com", secret: "hunter2" },
      "secret",
      "must be whsec_ followed by the base64 encoding of 24 to 64 bytes",
    ],
    ["headers_json that is an array", { name: "x", url: "https://e.com", headers_json: [] }, "headers_json", "must be object"],
    [
      "a header value that is not text",
      { name: "x", url: "https://e.com", headers_json: { "X-A": 1 } },
      "headers_json.X-A",
      "must be string",
    ],
    [
      "a header value with a line break",
      { name: "x", url: "https://e.com", headers_json: { "X-A": "a\r\nB: c" } },
      "headers_json.X-A",
      "must match ^[^\\r\\n\\u0000]*$",
    ],
    [
      "an invalid header name",
      { name: "x", url: "https://e.com", headers_json: { "Bad Header": "v" } },
      "headers_json",
      "has an invalid property name",
    ],
    [
      "a header Hookline sets itself",
      { name: "x", url: "https://e.com", headers_json: { "Webhook-Signature": "v1,x" } },
      "headers_json.Webhook-Signature",
      "is set by Hookline on every delivery and cannot be overridden",
    ],
    ["an unknown field", { name: "x", url: "https://e.com", colour: "red" }, "colour", "is not a known field"],
    ["a status on create", { name: "x", url: "https://e.com", status: "PAUSED" }, "status", "is not a known field"],
  ])("rejects %s with 400 naming the field, and writes nothing", async (_case, body, field, message) => {
    const before = await h.db.prisma.endpoint.count();
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "validation_error" } });
    expect((response.body as unknown as { error: { details: unknown[] } }).error.details).toContainEqual({ field, message });
    expect(await h.db.prisma.endpoint.count()).toBe(before);
  });

  it("reports every problem of a body at once", async () => {
    const response = await create({ url: "nope", timeout_seconds: 999 });
    const fields = (response.body as unknown as { error: { details: { field: string }[] } }).error.details.map((d) => d.field).sort();
    expect(fields).toEqual(["name", "timeout_seconds", "url"]);
  });
});

describe("GET /v1/endpoints", () => {
  it("lists only this tenant's endpoints, oldest first, as a bare array", async () => {
    const other = await h.newTenant("other");
    await other.request("POST", "/v1/endpoints", { body: { name: "theirs", url: "https://other.example" } });
    const mine = [await create({ name: "l1", url: "https://e.com/1" }), await create({ name: "l2", url: "https://e.com/2" })];
    const response = await h.request<EndpointBody[]>("GET", "/v1/endpoints?limit=100");
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    const ids = response.body.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(mine.map((m) => m.body.id)));
    expect(response.body.every((e) => e.name !== "theirs")).toBe(true);
    expect(response.body.every((e) => e.secret === undefined)).toBe(true);
  });

  it("pages with limit and an opaque cursor, visiting every endpoint once", async () => {
    const tenant = await h.newTenant("pager");
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await tenant.request<EndpointBody>("POST", "/v1/endpoints", { body: { name: `p${i}`, url: "https://e.com" } });
      created.push(r.body.id);
    }
    const seen: string[] = [];
    let path: string | undefined = "/v1/endpoints?limit=3";
    let pages = 0;
    while (path) {
      const page: JsonResponse<EndpointBody[]> = await tenant.request<EndpointBody[]>("GET", path);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((e) => e.id));
      pages++;
      const link: string | null = page.headers.get("link");
      path = link ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined;
      if (path) expect(page.headers.get("x-next-cursor")).toBeTruthy();
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(created);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["cursor=not-a-cursor", "cursor"],
  ])("rejects ?%s with 400", async (query, field) => {
    const response = await h.request("GET", `/v1/endpoints?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "validation_error", details: [expect.objectContaining({ field })] } });
  });
});

describe("GET, PATCH and DELETE /v1/endpoints/{id}", () => {
  it("returns one endpoint", async () => {
    const { body } = await create({ name: "one", url: "https://e.com/one" });
    const response = await h.request<EndpointBody>("GET", `/v1/endpoints/${body.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(body);
  });

  it("updates only the fields given", async () => {
    const { body } = await create({ name: "before", url: "https://e.com/x", headers_json: { "X-A": "1" }, timeout_seconds: 5 });
    const response = await h.request<EndpointBody>("PATCH", `/v1/endpoints/${body.id}`, { body: { name: "updated-name" } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: "updated-name", url: "https://e.com/x", headers_json: { "X-A": "1" }, timeout_seconds: 5 });
    expect(Date.parse(response.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(body.updated_at));
  });

  it("turns the traceparent header on and off, and shows the setting only while it is on", async () => {
    const { body } = await create({ name: "traced", url: "https://e.com/traced", send_traceparent: true });
    expect(body).toMatchObject({ send_traceparent: true });
    expect((await h.request<EndpointBody>("GET", `/v1/endpoints/${body.id}`)).body).toMatchObject({ send_traceparent: true });
    const off = await h.request<EndpointBody>("PATCH", `/v1/endpoints/${body.id}`, { body: { send_traceparent: false } });
    expect(off.status).toBe(200);
    expect(off.body).not.toHaveProperty("send_traceparent");
    expect((await create({ name: "untraced", url: "https://e.com/untraced" })).body).not.toHaveProperty("send_traceparent");
    expect((await create({ name: "bad", url: "https://e.com/bad", send_traceparent: "yes" })).status).toBe(400);
  });

  it("pauses with paused_at set, keeps it when paused again, and clears it on resume", async () => {
    const { body } = await create({ name: "pausable", url: "https://e.com/p" });
    const paused = await h.request<EndpointBody>("PATCH", `/v1/endpoints/${body.id}`, { body: { name: "updated-name", status: "PAUSED" } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ name: "updated-name", status: "PAUSED", paused_at: expect.stringMatching(ISO_UTC) });
    const again = await h.request<EndpointBody>("PATCH", `/v1/endpoints/${body.id}`, { body: { status: "PAUSED" } });
    expect(again.body.paused_at).toBe(paused.body.paused_at);
    const resumed = await h.request<EndpointBody>("PATCH", `/v1/endpoints/${body.id}`, { body: { status: "ACTIVE" } });
    expect(resumed.body).toMatchObject({ status: "ACTIVE", paused_at: null });
  });

  it("rotates the secret through PATCH", async () => {
    const { body } = await create({ name: "rotate", url: "https://e.com/r" });
    const secret = "whsec_dGhpcnR5LXR3by1ieXRlcy1vZi1yYW5kb20tZGF0YQ==";
    expect((await h.request("PATCH", `/v1/endpoints/${body.id}`, { body: { secret } })).status).toBe(200);
    expect((await h.request("GET", `/v1/endpoints/${body.id}/secret`)).body).toEqual({ secret });
  });

  it.each([
    [{ status: "DISABLED" }, "status"],
    [{ timeout_seconds: 61 }, "timeout_seconds"],
    [{ url: "mailto:a@b.c" }, "url"],
    [{ id: "ep_x" }, "id"],
  ])("rejects PATCH %j with 400 and changes nothing", async (patch, field) => {
    const { body } = await create({ name: "stable", url: "https://e.com/s" });
    const response = await h.request("PATCH", `/v1/endpoints/${body.id}`, { body: patch });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { details: [expect.objectContaining({ field })] } });
    expect((await h.request("GET", `/v1/endpoints/${body.id}`)).body).toEqual(body);
  });

  it("deletes with 204, after which the endpoint is 404", async () => {
    const { body } = await create({ name: "doomed", url: "https://e.com/d" });
    const deleted = await h.request("DELETE", `/v1/endpoints/${body.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await h.request("GET", `/v1/endpoints/${body.id}`)).status).toBe(404);
    expect((await h.request("DELETE", `/v1/endpoints/${body.id}`)).status).toBe(404);
  });

  it.each(["GET", "PATCH", "DELETE"])("answers %s of an unknown id with 404", async (method) => {
    const response = await h.request(method, "/v1/endpoints/ep_00000000-0000-7000-8000-000000000000", {
      body: method === "PATCH" ? { name: "x" } : undefined,
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "not_found" } });
  });
});
