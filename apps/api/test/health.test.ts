import { Writable } from "node:stream";
import { createLogger } from "@hookline/core";
import { freePort, jsonClient } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("health", () => {
  it("answers 200 on /healthz without authentication", async () => {
    const response = await jsonClient(h.api.url)("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("answers an unknown route with 404 in the error format", async () => {
    const response = await h.request("GET", "/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "not_found", details: [] } });
  });

  it("serves Prometheus metrics at /metrics to the admin token only", async () => {
    await h.request("GET", "/v1/endpoints");
    expect((await jsonClient(h.api.url)("GET", "/metrics")).status).toBe(401);
    const response = await jsonClient(h.api.url, h.adminToken)("GET", "/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(response.text).toMatch(
      /hookline_http_request_duration_seconds_count\{method="GET",route="\/v1\/endpoints",status="200"\} [1-9]/,
    );
  });

  it("answers /readyz 200 when Postgres and Redis answer", async () => {
    const response = await jsonClient(h.api.url)("GET", "/readyz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
  });
});

describe("with Redis unreachable", () => {
  let down: Harness;
  const logged: { msg: string; err?: string; deliveries?: number }[] = [];
  beforeAll(async () => {
    const port = await freePort(); // nothing listens there
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logged.push(JSON.parse(line) as (typeof logged)[number]);
        done();
      },
    });
    down = await startHarness(
      { REDIS_URL: `redis://127.0.0.1:${port}` },
      { logger: createLogger({ level: "warn", name: "redis-down", destination: sink }) },
    );
  });
  afterAll(() => down.close());

  it("reports /readyz 503 naming Redis", async () => {
    const response = await jsonClient(down.api.url)("GET", "/readyz");
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: "unavailable",
      checks: { postgres: "ok", redis: "unavailable" },
      reasons: { redis: "connection refused" },
    });
  });

  it("still accepts events, giving up on Redis instead of waiting for it, the deliveries due in Postgres", async () => {
    const endpoint = await down.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "x", url: "https://e.com/x" } });
    await down.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["a.b"] } });
    const response = await down.request<{ id: string; deliveries: number }>("POST", "/v1/events", {
      body: { event_type: "a.b", data: {} },
    });
    // Answered while Redis is still away (it never comes back here): the enqueue was given up.
    expect(response.status).toBe(202);
    expect(response.body.deliveries).toBe(1);
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: "enqueue failed; the sweeper will enqueue these deliveries", deliveries: 1 }),
    );
    expect(await down.db.prisma.delivery.count({ where: { eventId: response.body.id, status: "pending" } })).toBe(1);
  });
});
