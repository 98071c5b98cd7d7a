import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { createLogger } from "@hookline/core";
import { startHarness, type Harness } from "./harness.js";

/** The one line each request leaves, and the lines logged through its own logger. */
let h: Harness;
const lines: Record<string, unknown>[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  h = await startHarness({}, { logger: createLogger({ level: "info", name: "request-log", destination: sink }) });
});
afterAll(() => h.close());

/** The lines of one request, once its closing line was written (the response can arrive first). */
async function linesOf(requestId: string): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const mine = lines.filter((line) => line.reqId === requestId);
    if (mine.some((line) => "res" in line) || Date.now() > deadline) return mine;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it("closes a tenant's request with its id, route, status, time and tenant, and nothing it sent", async () => {
  const response = await fetch(`${h.api.url}/v1/events?debug=SECRET_QUERY`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json", "x-request-id": "req-log-publish" },
    body: JSON.stringify({ event_type: "order.created", data: { note: "BODY_SECRET" } }),
  });
  expect(response.status).toBe(202);
  expect(response.headers.get("x-request-id")).toBe("req-log-publish");
  const mine = await linesOf("req-log-publish");
  const closing = mine.find((line) => "res" in line);
  expect(closing).toMatchObject({
    level: 30,
    msg: "request completed",
    reqId: "req-log-publish",
    req: { id: "req-log-publish", method: "POST", url: "/v1/events" },
    res: { status: 202 },
    tenant_id: h.tenantId,
  });
  expect(typeof closing?.responseTime).toBe("number");
  const text = JSON.stringify(mine);
  for (const secret of ["BODY_SECRET", "SECRET_QUERY", h.apiKey]) expect([secret, text.includes(secret)]).toEqual([secret, false]);
});

it("a request id that is not a sane one is replaced by a new one", async () => {
  const response = await fetch(`${h.api.url}/v1/endpoints`, {
    headers: { authorization: `Bearer ${h.apiKey}`, "x-request-id": "not a sane id; ".repeat(3) },
  });
  expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f-]{36}$/);
});

it("what a request logs of its own carries its id and tenant, and a client error closes at warn", async () => {
  const response = await fetch(`${h.api.url}/v1/endpoints/ep_does_not_exist`, {
    headers: { authorization: `Bearer ${h.apiKey}`, "x-request-id": "req-log-missing" },
  });
  expect(response.status).toBe(404);
  const mine = await linesOf("req-log-missing");
  expect(mine.find((line) => line.code === "not_found")).toMatchObject({ level: 40, reqId: "req-log-missing", tenant_id: h.tenantId });
  expect(mine.find((line) => "res" in line)).toMatchObject({ level: 40, res: { status: 404 }, tenant_id: h.tenantId });
});

it("a request refused before authentication closes without a tenant", async () => {
  const response = await fetch(`${h.api.url}/v1/endpoints`, { headers: { "x-request-id": "req-log-anonymous" } });
  expect(response.status).toBe(401);
  const closing = (await linesOf("req-log-anonymous")).find((line) => "res" in line);
  expect(closing).toMatchObject({ level: 40, res: { status: 401 } });
  expect(closing).not.toHaveProperty("tenant_id");
});

it("a request its client abandons mid-body is not logged as a success", async () => {
  const url = new URL(`${h.api.url}/v1/events`);
  const sent = httpRequest({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: "POST",
    headers: {
      authorization: `Bearer ${h.apiKey}`,
      "content-type": "application/json",
      "content-length": "1000",
      "x-request-id": "req-log-aborted",
    },
  });
  sent.on("error", () => undefined);
  sent.write('{"event_type":"order.created",');
  // The API is waiting for the rest of the body when the client goes.
  await new Promise((resolve) => setTimeout(resolve, 100));
  sent.destroy();
  const closing = (await linesOf("req-log-aborted")).find((line) => "res" in line);
  // The body parser gives up and the error middleware answers 400 to nobody: a warning with that
  // status. (A client gone before any answer was written closes as "request aborted".)
  expect(closing).toMatchObject({ level: 40, reqId: "req-log-aborted", res: { status: 400 } });
});
