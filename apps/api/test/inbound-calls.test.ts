import { startReceiver, type JsonRequest } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

interface EnvironmentBody {
  id: string;
  kind: "preview" | "live";
}
interface ExecutionBody {
  id: string;
  outcome: string;
  status: number;
  method: string;
  path: string;
  query: string;
  request_headers: Record<string, string>;
  body_size: number;
  body_head: string;
  logs: { level: string; message: string }[];
  error: { name: string; message: string; line?: number } | null;
  workflow_version: number | null;
  environment_id: string;
}
interface ErrorBody {
  error: { code: string; message: string; details: { field: string; message: string }[] };
}

const HELLO = `const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  return new Response("hello world");
};
export default workflow;`;

let h: Harness;
beforeAll(async () => {
  // Small limits, so that tests of each limit are quick.
  h = await startHarness({ WORKFLOW_CPU_MS: "50", WORKFLOW_TIMEOUT_MS: "1500", WORKFLOW_MEMORY_MB: "16", SANDBOX_THREADS: "2" });
});
afterAll(() => h.close());

interface Setup {
  readonly request: JsonRequest;
  readonly tenantId: string;
  readonly endpointId: string;
  readonly preview: EnvironmentBody;
  readonly live: EnvironmentBody;
  readonly keys: { secret_key: string; public_key: string };
  /** Calls the endpoint's public URL in the preview environment (or `environment`). */
  call(options?: {
    method?: string;
    path?: string;
    key?: string;
    body?: string;
    headers?: Record<string, string>;
    environment?: string;
  }): Promise<Response>;
  save(code: string, extra?: Record<string, unknown>): Promise<{ status: number; body: ErrorBody & { latest_version: number } }>;
}

/** A fresh tenant with one endpoint, whose workflow is `code` (saved, not published, unless said). */
async function setup(endpoint: Record<string, unknown> = {}, code: string | undefined = HELLO): Promise<Setup> {
  const tenant = await h.newTenant("inbound");
  const envs = (await tenant.request<EnvironmentBody[]>("GET", "/v1/environments")).body;
  const preview = envs.find((e) => e.kind === "preview")!;
  const live = envs.find((e) => e.kind === "live")!;
  const keys = (await tenant.request<{ secret_key: string; public_key: string }>("GET", `/v1/environments/${preview.id}/keys`)).body;
  const created = await tenant.request<{ id: string; path: string }>("POST", "/v1/inbound_endpoints", {
    body: { name: "hook", path: "/hook", method: "POST", access_level: "none", ...endpoint },
  });
  expect(created.status).toBe(201);
  const save = async (source: string, extra: Record<string, unknown> = {}) => {
    const saved = await tenant.request<ErrorBody & { latest_version: number }>("PUT", `/v1/inbound_endpoints/${created.body.id}/workflow`, {
      body: { code: source, ...extra },
    });
    return { status: saved.status, body: saved.body };
  };
  if (code !== undefined) expect((await save(code)).status).toBe(200);
  return {
    request: tenant.request,
    tenantId: tenant.tenantId,
    endpointId: created.body.id,
    preview,
    live,
    keys,
    save,
    call(options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers["x-mos-key"] = options.key;
      return fetch(`${h.api.url}/api/v1/envs/${options.environment ?? preview.id}/endpoints${options.path ?? created.body.path}`, {
        method: options.method ?? "POST",
        headers,
        body: options.body,
      });
    },
  };
}

/** Executions are written just after the answer; wait for the one a call's header names. */
async function execution(request: JsonRequest, response: Response): Promise<ExecutionBody> {
  const id = response.headers.get("x-hookline-execution-id");
  expect(id).toMatch(/^exe_/);
  for (let i = 0; i < 100; i++) {
    const found = await request<ExecutionBody>("GET", `/v1/executions/${id}`);
    if (found.status === 200) return found.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`execution ${id} was never recorded`);
}

describe("calling an inbound endpoint", () => {
  it("runs the seed's hello world exactly as written", async () => {
    const s = await setup();
    const response = await s.call();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("hello world");
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const recorded = await execution(s.request, response);
    expect(recorded).toMatchObject({
      outcome: "ok",
      status: 200,
      method: "POST",
      path: "/hook",
      workflow_version: 1,
      environment_id: s.preview.id,
    });
  });

  it("hands the workflow the request, its parameters and the environment, and answers with its Response", async () => {
    const s = await setup(
      { path: "/orders/:id", method: "PUT" },
      `export default async ({ request, env }) => {
        const body = await request.json();
        console.log("order", request.params.id);
        return Response.json({
          method: request.method, path: request.path, id: request.params.id, q: request.query.q,
          header: request.headers.get("x-custom"), body, environment: env.ENVIRONMENT, greeting: env.GREETING,
          endpoint: env.ENDPOINT_ID,
        }, { status: 201, headers: { "x-answer": "yes" } });
      };`,
    );
    await s.request("PUT", `/v1/environments/${s.preview.id}/variables/GREETING`, { body: { value: "hi", secret: true } });
    const response = await s.call({
      method: "PUT",
      path: "/orders/42?q=find",
      headers: { "content-type": "application/json", "x-custom": "c" },
      body: JSON.stringify({ n: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-answer")).toBe("yes");
    expect(await response.json()).toEqual({
      method: "PUT",
      path: "/orders/42",
      id: "42",
      q: "find",
      header: "c",
      body: { n: 1 },
      environment: "preview",
      greeting: "hi",
      endpoint: s.endpointId,
    });
    const recorded = await execution(s.request, response);
    expect(recorded).toMatchObject({ path: "/orders/42", query: "q=find", body_head: '{"n":1}', body_size: 7 });
    expect(recorded.logs).toEqual([expect.objectContaining({ level: "log", message: "order 42" })]);
  });

  it("answers a browser's CORS preflight with the path's methods, running nothing", async () => {
    const s = await setup({ access_level: "public_key" });
    const preflight = await fetch(`${h.api.url}/api/v1/envs/${s.preview.id}/endpoints/hook`, {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-mos-key, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-mos-key, content-type");
    const elsewhere = await fetch(`${h.api.url}/api/v1/envs/${s.preview.id}/endpoints/nothing`, {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "POST" },
    });
    expect(elsewhere.status).toBe(404);
    const executions = await s.request<unknown[]>("GET", `/v1/inbound_endpoints/${s.endpointId}/executions`);
    expect(executions.body).toEqual([]);
  });

  it("answers 404 where no endpoint is, 405 for another method, in the one error format", async () => {
    const s = await setup();
    const missing = await s.call({ path: "/nothing" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe("not_found");
    const wrong = await s.call({ method: "GET" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await s.call({ environment: "env_00000000-0000-7000-8000-000000000000" })).status).toBe(404);
    expect((await s.call({ environment: "nonsense" })).status).toBe(404);
  });
});

describe("access levels", () => {
  const cases = [
    { level: "secret_key", secret: 200, public: 401, wrong: 401, missing: 401 },
    { level: "public_key", secret: 200, public: 200, wrong: 401, missing: 401 },
    { level: "none", secret: 200, public: 200, wrong: 200, missing: 200 },
  ] as const;
  for (const expected of cases) {
    it(`${expected.level}: right, wrong and missing keys`, async () => {
      const s = await setup({ access_level: expected.level });
      const statuses = {
        secret: (await s.call({ key: s.keys.secret_key })).status,
        public: (await s.call({ key: s.keys.public_key })).status,
        wrong: (await s.call({ key: `sk_${"x".repeat(43)}` })).status,
        missing: (await s.call()).status,
      };
      expect(statuses).toEqual({ secret: expected.secret, public: expected.public, wrong: expected.wrong, missing: expected.missing });
    });
  }

  it("runs no code for a refused key, records it as unauthorized, and keeps the key out of the record", async () => {
    const s = await setup(
      { access_level: "secret_key" },
      `export default async ({ utils }) => { console.log("ran"); return new Response("x"); };`,
    );
    const refused = await s.call({ key: "pk_wrong", headers: { authorization: "Bearer secret-token" } });
    expect(refused.status).toBe(401);
    const recorded = await execution(s.request, refused);
    expect(recorded).toMatchObject({ outcome: "unauthorized", status: 401, logs: [] });
    expect(recorded.request_headers["x-mos-key"]).toBe("[redacted]");
    expect(recorded.request_headers.authorization).toBe("[redacted]");
    // Another environment's key does not open this one.
    const liveKeys = (await s.request<{ secret_key: string }>("GET", `/v1/environments/${s.live.id}/keys`)).body;
    expect((await s.call({ key: liveKeys.secret_key })).status).toBe(401);
    expect((await s.call({ key: s.keys.secret_key })).status).toBe(200);
  });
});

describe("bodies", () => {
  const FIVE_MB = 5 * 1024 * 1024;
  it("takes exactly 5 MB and refuses one byte more with 413 before any code runs", async () => {
    const s = await setup({}, `export default async ({ request }) => new Response(String((await request.text()).length));`);
    const exact = await s.call({ body: "a".repeat(FIVE_MB), headers: { "content-type": "text/plain" } });
    expect(exact.status).toBe(200);
    expect(await exact.text()).toBe(String(FIVE_MB));
    const over = await s.call({ body: "a".repeat(FIVE_MB + 1), headers: { "content-type": "text/plain" } });
    expect(over.status).toBe(413);
    expect(((await over.json()) as ErrorBody).error.code).toBe("payload_too_large");
    expect(await execution(s.request, over)).toMatchObject({ outcome: "too_large", status: 413, logs: [] });
  });

  it("refuses a binary body with 415", async () => {
    const s = await setup();
    const response = await s.call({ body: "\u0000\u0001", headers: { "content-type": "image/png" } });
    expect(response.status).toBe(415);
  });
});

describe("versions, environments and switching off", () => {
  it("runs the latest saved version in preview and the published one in live", async () => {
    const s = await setup({}, `export default async () => new Response("v1");`);
    const neverPublished = await s.call({ environment: s.live.id });
    expect(neverPublished.status).toBe(503);
    expect(((await neverPublished.json()) as ErrorBody).error.code).toBe("workflow_disabled");

    expect((await s.request("POST", `/v1/inbound_endpoints/${s.endpointId}/workflow/publish`, { body: {} })).status).toBe(200);
    await s.save(`export default async () => new Response("v2");`);
    expect(await (await s.call()).text()).toBe("v2");
    expect(await (await s.call({ environment: s.live.id })).text()).toBe("v1");

    const published = await s.save(`export default async () => new Response("v3");`, { publish: true });
    expect(published.body).toMatchObject({ latest_version: 3, published_version: 3 });
    expect(await (await s.call({ environment: s.live.id })).text()).toBe("v3");
    // An earlier version can be published again.
    await s.request("POST", `/v1/inbound_endpoints/${s.endpointId}/workflow/publish`, { body: { version: 1 } });
    expect(await (await s.call({ environment: s.live.id })).text()).toBe("v1");
    const versions = await s.request<{ version: number }[]>("GET", `/v1/inbound_endpoints/${s.endpointId}/workflow/versions`);
    expect(versions.body.map((v) => v.version)).toEqual([1, 2, 3]);
    const second = await s.request<{ code: string }>("GET", `/v1/inbound_endpoints/${s.endpointId}/workflow/versions/2`);
    expect(second.body.code).toContain("v2");
  });

  it("answers 503 and runs nothing while the workflow is disabled", async () => {
    const s = await setup();
    await s.save(HELLO, { enabled: false });
    const disabled = await s.call();
    expect(disabled.status).toBe(503);
    expect(await execution(s.request, disabled)).toMatchObject({ outcome: "disabled" });
    await s.request("PUT", `/v1/inbound_endpoints/${s.endpointId}/workflow`, { body: { enabled: true } });
    expect((await s.call()).status).toBe(200);
  });

  it("refuses code that does not compile with 400 naming line and column, and saves nothing", async () => {
    const s = await setup();
    const broken = await s.save(`const workflow = async () => {\n  return new Response("x";\n};\nexport default workflow;`);
    expect(broken.status).toBe(400);
    expect(broken.body.error.details[0]!.message).toMatch(/^line 2, column \d+: /);
    const imports = await s.save(`import fs from "fs";\nexport default async () => new Response("x");`);
    expect(imports.status).toBe(400);
    expect(imports.body.error.details[0]!.message).toMatch(/^line 1, column \d+: .*import/i);
    const state = await s.request<{ latest_version: number }>("GET", `/v1/inbound_endpoints/${s.endpointId}/workflow`);
    expect(state.body.latest_version).toBe(1);
  });

  it("previews the draft on a sample request without recording it or publishing", async () => {
    const s = await setup(
      { path: "/orders/:id" },
      `export default async ({ request, utils }) => {
        console.log("previewing", request.params.id);
        const event = await utils.publish({ event_type: "order.previewed", data: { id: request.params.id } });
        return Response.json({ id: request.params.id, event: event.id.slice(0, 4) });
      };`,
    );
    const preview = await s.request<{ outcome: string; status: number; body: string; logs: { message: string }[]; published: unknown[] }>(
      "POST",
      `/v1/inbound_endpoints/${s.endpointId}/workflow/preview`,
      { body: { request: { path: "/orders/7", body: "{}" } } },
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      outcome: "ok",
      status: 200,
      published: [{ event_type: "order.previewed", data: { id: "7" }, object_id: null }],
    });
    expect(JSON.parse(preview.body.body)).toEqual({ id: "7", event: "evt_" });
    expect(preview.body.logs.map((l) => l.message)).toEqual(["previewing 7"]);
    const events = await h.db.pool.query(`SELECT 1 FROM events WHERE tenant_id = $1`, [s.tenantId]);
    expect(events.rowCount).toBe(0);
    const executions = await s.request<unknown[]>("GET", `/v1/inbound_endpoints/${s.endpointId}/executions`);
    expect(executions.body).toEqual([]);
  });
});

describe("what the workflow does wrong", () => {
  it("a throw is a 500 with a generic body; the execution log has the message and the line", async () => {
    const s = await setup({}, `export default async () => {\n  const x = 1;\n  throw new Error("card declined: 4242");\n};`);
    const response = await s.call();
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("4242");
    expect(JSON.parse(text)).toMatchObject({ error: { code: "workflow_error" } });
    const recorded = await execution(s.request, response);
    expect(recorded).toMatchObject({ outcome: "error", status: 500, error: { message: "card declined: 4242", line: 3 } });
  });

  it("returning something other than a Response is a 500 naming it", async () => {
    const s = await setup({}, `export default async () => ({ hello: "world" });`);
    const response = await s.call();
    expect(response.status).toBe(500);
    expect(((await response.json()) as ErrorBody).error.message).toMatch(/not a Response/);
  });

  it("an endless loop is a 504 cpu_limit, and the next call works", async () => {
    const s = await setup(
      {},
      `export default async ({ request }) => { if (request.query.loop) { while (true) {} } return new Response("fine"); };`,
    );
    const looping = await s.call({ path: "/hook?loop=1" });
    expect(looping.status).toBe(504);
    expect(((await looping.json()) as ErrorBody).error.code).toBe("workflow_cpu_limit");
    expect(await execution(s.request, looping)).toMatchObject({ outcome: "cpu_limit", status: 504 });
    expect(await (await s.call()).text()).toBe("fine");
  });

  it("a promise that never settles is a 504 timeout", async () => {
    const s = await setup({}, `export default () => new Promise(() => {});`);
    const response = await s.call();
    expect(response.status).toBe(504);
    expect(await execution(s.request, response)).toMatchObject({ outcome: "timeout" });
  });

  it("a memory bomb is a 500 memory_limit, and the next call works", async () => {
    const s = await setup(
      {},
      `export default async ({ request }) => { if (request.query.bomb) { let s = "x"; while (true) s += s; } return new Response("fine"); };`,
    );
    const bomb = await s.call({ path: "/hook?bomb=1" });
    expect(bomb.status).toBe(500);
    expect(await execution(s.request, bomb)).toMatchObject({ outcome: "memory_limit" });
    expect(await (await s.call()).text()).toBe("fine");
  });
});

describe("what the workflow reaches", () => {
  it("fetches through the SSRF guard: an allowed receiver answers, a private address is refused inside the workflow", async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: "from receiver" }));
    try {
      const s = await setup(
        {},
        `export default async ({ request }) => {
          const { target } = await request.json();
          try {
            const answer = await utils.fetch(target, { method: "POST", body: "ping" });
            return new Response(await answer.text(), { status: answer.status });
          } catch (error) {
            return new Response("refused: " + error.message, { status: 502 });
          }
        };`.replace("async ({ request })", "async ({ request, utils })"),
      );
      const allowed = await s.call({
        body: JSON.stringify({ target: `${receiver.url}/hi` }),
        headers: { "content-type": "application/json" },
      });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toBe("from receiver");
      expect(receiver.requests.map((r) => [r.method, r.path, r.body])).toEqual([["POST", "/hi", "ping"]]);
      // Loopback is allowed to this test's API (ALLOW_PRIVATE_TARGETS), cloud metadata is not.
      const metadata = await s.call({
        body: JSON.stringify({ target: "http://169.254.169.254/latest/meta-data" }),
        headers: { "content-type": "application/json" },
      });
      expect(metadata.status).toBe(502);
      expect(await metadata.text()).toMatch(/^refused: .*not a public address/);
    } finally {
      await receiver.close();
    }
  });

  it("cannot reach the host: the classic escape fails inside the sandbox, and the API goes on", async () => {
    const s = await setup(
      {},
      `export default async () => {
      const found = [];
      try { found.push(typeof this.constructor.constructor("return process")()); } catch (e) { found.push("blocked: " + e.name); }
      found.push(typeof globalThis.process, typeof require, typeof globalThis.fetch);
      return Response.json(found);
    };`,
    );
    const response = await s.call();
    expect(response.status).toBe(200);
    const found = (await response.json()) as string[];
    expect(found.slice(1)).toEqual(["undefined", "undefined", "undefined"]);
    expect(found[0]).not.toBe("object");
    expect((await h.request("GET", "/v1/endpoints")).status).toBe(200);
  });

  it("a tenant whose workflow awaits a fetch that never answers holds one thread, not the others' calls", async () => {
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 60_000 }));
    try {
      const slow = await setup(
        {},
        `export default async ({ utils, env }) => { await utils.fetch(env.TARGET); return new Response("late"); };`,
      );
      await slow.request("PUT", `/v1/environments/${slow.preview.id}/variables/TARGET`, { body: { value: `${receiver.url}/slow` } });
      const quick = await setup();
      const order: string[] = [];
      const stuck = slow.call().then((r) => order.push(`slow ${r.status}`));
      await receiver.waitFor(1);
      // The slow tenant's workflow is now waiting inside the sandbox; another tenant's calls go on.
      for (let i = 0; i < 3; i++) order.push(`quick ${(await quick.call()).status}`);
      await stuck;
      expect(order).toEqual(["quick 200", "quick 200", "quick 200", "slow 504"]);
    } finally {
      await receiver.close();
    }
  });

  it("counts executions by outcome in /metrics", async () => {
    const s = await setup();
    await s.call();
    const metrics = await fetch(`${h.api.url}/metrics`, { headers: { authorization: `Bearer ${h.adminToken}` } });
    const text = await metrics.text();
    expect(text).toMatch(/hookline_inbound_executions_total\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/hookline_inbound_execution_duration_seconds_bucket/);
  });
});

describe("executions", () => {
  it("are listed newest first, filtered by outcome and environment, and are the tenant's alone", async () => {
    const s = await setup({ access_level: "secret_key" });
    const ids: string[] = [];
    for (const key of [s.keys.secret_key, undefined, s.keys.secret_key]) {
      const response = await s.call(key === undefined ? {} : { key });
      ids.push((await execution(s.request, response)).id);
    }
    const base = `/v1/inbound_endpoints/${s.endpointId}/executions`;
    const all = await s.request<ExecutionBody[]>("GET", base);
    expect(all.body.map((e) => e.id)).toEqual([...ids].reverse());
    const refused = await s.request<ExecutionBody[]>("GET", `${base}?outcome=unauthorized`);
    expect(refused.body.map((e) => e.id)).toEqual([ids[1]]);
    const live = await s.request<ExecutionBody[]>("GET", `${base}?environment_id=${s.live.id}`);
    expect(live.body).toEqual([]);
    const paged = await s.request<ExecutionBody[]>("GET", `${base}?limit=2`);
    expect(paged.body).toHaveLength(2);
    const next = await s.request<ExecutionBody[]>("GET", `${base}?limit=2&cursor=${paged.headers.get("x-next-cursor")}`);
    expect(next.body.map((e) => e.id)).toEqual([ids[0]]);
    expect((await h.request("GET", `/v1/executions/${ids[0]}`)).status).toBe(404);
  });
});
