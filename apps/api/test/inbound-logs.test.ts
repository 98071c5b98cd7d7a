import { Writable } from "node:stream";
import { createLogger } from "@hookline/core";
import { startHarness, type Harness } from "./harness.js";

/** What an inbound call leaves in Hookline's own logs: ids, never the body, the key or the workflow's output. */
let h: Harness;
const lines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  h = await startHarness({}, { logger: createLogger({ level: "info", name: "inbound-logs", destination: sink }) });
});
afterAll(() => h.close());

it("logs an inbound call with its request, tenant and execution ids, and nothing the caller sent or the workflow printed", async () => {
  const envs = (await h.request<{ id: string; kind: string }[]>("GET", "/v1/environments")).body;
  const preview = envs.find((e) => e.kind === "preview")!;
  const key = (await h.request<{ secret_key: string }>("GET", `/v1/environments/${preview.id}/keys`)).body.secret_key;
  const endpoint = await h.request<{ id: string }>("POST", "/v1/inbound_endpoints", {
    body: { name: "logs", path: "/logs", method: "POST" },
  });
  await h.request("PUT", `/v1/inbound_endpoints/${endpoint.body.id}/workflow`, {
    body: {
      code: `export default async ({ request }) => { console.log("WORKFLOW_PRINTED", await request.text()); throw new Error("THROWN_SECRET"); };`,
    },
  });
  const response = await fetch(`${h.api.url}/api/v1/envs/${preview.id}/endpoints/logs`, {
    method: "POST",
    headers: { "x-mos-key": key, "content-type": "text/plain", "x-request-id": "req-inbound-logs" },
    body: "BODY_SECRET",
  });
  expect(response.status).toBe(500);
  const executionId = response.headers.get("x-hookline-execution-id");

  const mine = lines.filter((line) => line.includes("req-inbound-logs"));
  expect(mine.length).toBeGreaterThan(0);
  const closing = mine
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.msg === "request failed" || "res" in line);
  expect(closing).toMatchObject({ reqId: "req-inbound-logs", tenant_id: h.tenantId, execution_id: executionId });
  for (const secret of ["BODY_SECRET", key, "WORKFLOW_PRINTED", "THROWN_SECRET"]) {
    expect([secret, lines.some((line) => line.includes(secret))]).toEqual([secret, false]);
  }
});
