import { Hookline } from "../src/index.js";
import { backoffMs, MAX_RETRY_AFTER_MS, retryAfterMs } from "../src/retry.js";
import { failure, json, scriptedServer, type ScriptedServer } from "./support.js";

/**
 * Retries, timeouts and aborts against real HTTP servers on loopback that answer on cue (the
 * API cannot be made to answer 429 then 200, or to hang, when a test wants it).
 */
const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(answer: Parameters<typeof scriptedServer>[0]): Promise<ScriptedServer> {
  const server = await scriptedServer(answer);
  servers.push(server);
  return server;
}

const client = (server: ScriptedServer, options: { maxRetries?: number; timeoutMs?: number } = {}) =>
  new Hookline({ apiKey: "key_test.test", baseUrl: server.url, ...options });

const endpoint = {
  id: "ep_1",
  name: "e",
  url: "https://example.com",
  headers_json: {},
  timeout_seconds: 10,
  status: "ACTIVE",
  paused_at: null,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
};
const rateLimited = { error: { code: "rate_limited", message: "slow down", details: [], request_id: "req_429" } };
const unavailable = { error: { code: "service_unavailable", message: "retry shortly", details: [], request_id: "req_503" } };

describe("retries", () => {
  it("retries a 429 after its Retry-After, then returns the success", async () => {
    const server = await serve((res, i) => (i === 0 ? json(res, 429, rateLimited, { "Retry-After": "0" }) : json(res, 200, endpoint)));
    expect(await client(server).endpoints.get("ep_1")).toEqual(endpoint);
    expect(server.seen).toHaveLength(2);
    expect(server.seen.map((s) => s.headers.authorization)).toEqual(["Bearer key_test.test", "Bearer key_test.test"]);
  });

  it("retries a 503, a POST too: the API answers it before writing anything", async () => {
    const server = await serve((res, i) => (i === 0 ? json(res, 503, unavailable, { "Retry-After": "0" }) : json(res, 201, endpoint)));
    expect(await client(server).endpoints.create({ name: "e", url: "https://example.com" })).toEqual(endpoint);
    expect(server.seen.map((s) => s.body)).toEqual([
      JSON.stringify({ name: "e", url: "https://example.com" }),
      JSON.stringify({ name: "e", url: "https://example.com" }),
    ]);
  });

  it("gives up after maxRetries with the last answer as a HooklineError", async () => {
    const server = await serve((res) => json(res, 429, rateLimited, { "Retry-After": "0" }));
    const error = await failure(client(server, { maxRetries: 2 }).endpoints.get("ep_1"));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", requestId: "req_429", message: "slow down" });
    expect(server.seen).toHaveLength(3);
  });

  it("does not retry with maxRetries 0, nor other errors", async () => {
    const limited = await serve((res) => json(res, 429, rateLimited, { "Retry-After": "0" }));
    await expect(client(limited, { maxRetries: 0 }).endpoints.get("ep_1")).rejects.toMatchObject({ status: 429 });
    expect(limited.seen).toHaveLength(1);

    const broken = await serve((res) => json(res, 500, { error: { code: "internal_error", message: "x", details: [], request_id: "r" } }));
    await expect(client(broken).endpoints.get("ep_1")).rejects.toMatchObject({ status: 500, code: "internal_error" });
    expect(broken.seen).toHaveLength(1);
  });

  it("lets one call override the client's retries", async () => {
    const server = await serve((res) => json(res, 503, unavailable, { "Retry-After": "0" }));
    await expect(client(server, { maxRetries: 0 }).endpoints.get("ep_1", { maxRetries: 3 })).rejects.toMatchObject({ status: 503 });
    expect(server.seen).toHaveLength(4);
  });

  it("sends every attempt of one publish with the same Idempotency-Key, and a new key for the next publish", async () => {
    const published = { id: "evt_1", event_type: "a.b", created_at: "2026-01-01T00:00:00.000Z", deliveries: 0 };
    const server = await serve((res, i) => (i === 0 ? json(res, 503, unavailable, { "Retry-After": "0" }) : json(res, 202, published)));
    const hookline = client(server);
    expect(await hookline.events.publish({ event_type: "a.b", data: {} })).toEqual(published);
    await hookline.events.publish({ event_type: "a.b", data: {} });
    await hookline.events.publish({ event_type: "a.b", data: {} }, { idempotencyKey: "mine" });
    await hookline.events.publish({ event_type: "a.b", data: {}, idempotency_key: "in-body" });
    const keys = server.seen.map((s) => s.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys.slice(3)).toEqual(["mine", "in-body"]);
  });

  it("sends a request that got no answer again only when repeating it is safe", async () => {
    // The first request of each kind loses its connection before an answer.
    const drop = (res: Parameters<Parameters<typeof scriptedServer>[0]>[0], i: number, ok: () => void) =>
      i === 0 ? res.socket?.destroy() : ok();
    const reads = await serve((res, i) => drop(res, i, () => json(res, 200, endpoint)));
    expect(await client(reads).endpoints.get("ep_1")).toEqual(endpoint);
    expect(reads.seen).toHaveLength(2);

    const creates = await serve((res, i) => drop(res, i, () => json(res, 201, endpoint)));
    const error = await failure(client(creates).endpoints.create({ name: "e", url: "https://example.com" }));
    expect(error).toMatchObject({ status: 0, code: "connection_error" });
    expect(creates.seen).toHaveLength(1);

    const published = { id: "evt_1", event_type: "a.b", created_at: "2026-01-01T00:00:00.000Z", deliveries: 0 };
    const publishes = await serve((res, i) => drop(res, i, () => json(res, 202, published)));
    expect(await client(publishes).events.publish({ event_type: "a.b", data: {} })).toEqual(published);
    expect(publishes.seen).toHaveLength(2);
  });
});

describe("timeouts and aborts", () => {
  it("fails a call the server does not answer in time with code timeout", async () => {
    const server = await serve(() => undefined); // never answers
    const started = Date.now();
    const error = await failure(client(server, { timeoutMs: 100, maxRetries: 0 }).endpoints.get("ep_1"));
    expect(error).toMatchObject({ status: 0, code: "timeout", name: "HooklineError" });
    expect(error.message).toMatch(/100 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("times out a body that never finishes arriving", async () => {
    const server = await serve((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
    });
    await expect(client(server, { timeoutMs: 100, maxRetries: 0 }).endpoints.get("ep_1")).rejects.toMatchObject({ code: "timeout" });
  });

  it("tries a timed-out read again, each attempt with its own deadline", async () => {
    const server = await serve((res, i) => (i === 0 ? undefined : json(res, 200, endpoint)));
    expect(await client(server, { timeoutMs: 500 }).endpoints.get("ep_1")).toEqual(endpoint);
    expect(server.seen).toHaveLength(2);
  });

  it("lets one call set its own timeout", async () => {
    const server = await serve(() => undefined);
    await expect(client(server, { maxRetries: 0 }).endpoints.get("ep_1", { timeoutMs: 50 })).rejects.toMatchObject({ code: "timeout" });
  });

  it("stops at the caller's signal, a wait between attempts included", async () => {
    let answered = () => undefined as void;
    const firstAnswered = new Promise<void>((resolve) => (answered = resolve));
    const server = await serve((res) => {
      json(res, 429, rateLimited, { "Retry-After": "20" });
      answered();
    });
    const controller = new AbortController();
    const call = client(server).endpoints.get("ep_1", { signal: controller.signal });
    await firstAnswered;
    controller.abort();
    await expect(call).rejects.toMatchObject({ status: 0, code: "aborted" });
    expect(server.seen).toHaveLength(1);
  });
});

describe("answers that are not the API's", () => {
  it("reports a proxy's page as unexpected_response with its status", async () => {
    const server = await serve((res) => {
      res.writeHead(502, { "content-type": "text/html", "x-request-id": "req_proxy" });
      res.end("<html>Bad gateway</html>");
    });
    await expect(client(server).endpoints.get("ep_1")).rejects.toMatchObject({
      status: 502,
      code: "unexpected_response",
      requestId: "req_proxy",
    });
  });

  it("reports an unreachable API as connection_error", async () => {
    const server = await serve(() => undefined);
    const { url } = server;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const hookline = new Hookline({ apiKey: "key_test.test", baseUrl: url, maxRetries: 0 });
    await expect(hookline.endpoints.get("ep_1")).rejects.toMatchObject({ status: 0, code: "connection_error" });
  });
});

describe("the retry schedule", () => {
  it("reads Retry-After as seconds or an HTTP date, capped", () => {
    expect(retryAfterMs("0")).toBe(0);
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("86400")).toBe(MAX_RETRY_AFTER_MS);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs("-1")).toBeUndefined();
  });

  it("backs off exponentially, with jitter under a ceiling", () => {
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffMs(retry, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffMs(3, () => 0)).toBe(0);
    expect(backoffMs(3, () => 0.5)).toBe(2000);
  });
});
