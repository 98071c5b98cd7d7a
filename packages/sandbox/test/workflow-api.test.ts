import { DEFAULT_SANDBOX_LIMITS, HostCallError, SandboxPool, type Invocation } from "../src/index.js";
import { invocation, recordingHost, request } from "./helpers.js";

let pool: SandboxPool;
beforeAll(() => {
  pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS });
});
afterAll(() => pool.close());

const run = (source: string, overrides: Partial<Invocation> = {}) => pool.run(invocation(source, overrides));
const json = async (source: string, overrides: Partial<Invocation> = {}): Promise<unknown> => {
  const result = await run(source, overrides);
  if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${JSON.stringify(result.error)}`);
  return JSON.parse(result.response?.body ?? "");
};

test("the workflow sees the request, the env and utils", async () => {
  const source = [
    "export default async ({ request, env, utils }) => Response.json({",
    "  method: request.method,",
    "  url: request.url,",
    "  path: request.path,",
    "  params: request.params,",
    "  query: request.query,",
    '  contentType: request.headers.get("Content-Type"),',
    "  headers: [...request.headers],",
    "  text: await request.text(),",
    "  json: await request.json(),",
    "  env,",
    "  envFrozen: Object.isFrozen(env),",
    "  utils: Object.keys(utils).sort(),",
    "});",
  ].join("\n");
  expect(await json(source, { env: { GREETING: "hello", REGION: "eu" } })).toEqual({
    method: "POST",
    url: "https://hooks.example.test/in/orders?source=shop&source=other&flag",
    path: "/in/orders",
    params: { endpoint: "orders" },
    query: { source: "shop", flag: "" },
    contentType: "application/json",
    headers: [
      ["content-type", "application/json"],
      ["x-request-id", "req-1"],
    ],
    text: '{"order":42}',
    json: { order: 42 },
    env: { GREETING: "hello", REGION: "eu" },
    envFrozen: true,
    utils: ["fetch", "hmac", "log", "publish", "timingSafeEqual", "verifyWebhook"],
  });
});

test("env cannot be changed by the workflow", async () => {
  const result = await run('export default async ({ env }) => { env.GREETING = "changed"; return new Response(env.GREETING); };');
  expect(result).toMatchObject({ outcome: "error", error: { name: "TypeError" } });
});

test("Response.json sets the JSON content type and keeps the given status and headers", async () => {
  const result = await run(
    'export default async () => Response.json({ ok: true, list: [1, "a"] }, { status: 202, headers: { "X-Trace": "t1" } });',
  );
  expect(result.response).toEqual({
    status: 202,
    headers: [
      ["x-trace", "t1"],
      ["content-type", "application/json"],
    ],
    body: '{"ok":true,"list":[1,"a"]}',
    bodyEncoding: "utf8",
  });
});

test("Response: status and statusText, bytes bodies, text()/json(), clone and redirect", async () => {
  const bytes = await run("export default async () => new Response(new Uint8Array([0, 1, 254, 255]), { status: 201 });");
  expect(bytes.response).toEqual({
    status: 201,
    headers: [],
    body: Buffer.from([0, 1, 254, 255]).toString("base64"),
    bodyEncoding: "base64",
  });
  const empty = await run("export default async () => new Response(null, { status: 204 });");
  expect(empty.response).toEqual({ status: 204, headers: [], body: "", bodyEncoding: "utf8" });
  const redirect = await run('export default async () => Response.redirect("https://example.test/next", 303);');
  expect(redirect.response).toEqual({ status: 303, headers: [["location", "https://example.test/next"]], body: "", bodyEncoding: "utf8" });
  const reads = [
    "export default async () => {",
    '  const r = new Response(\'{"a":1}\', { statusText: "Fine" });',
    "  const copy = r.clone();",
    "  const first = await r.json();",
    "  let again = '';",
    "  try { await r.text(); } catch (e) { again = e.message; }",
    "  return Response.json({ first, copied: await copy.text(), again, ok: r.ok, statusText: r.statusText, used: r.bodyUsed });",
    "};",
  ].join("\n");
  expect(await json(reads)).toEqual({
    first: { a: 1 },
    copied: '{"a":1}',
    again: "Response: body already used",
    ok: true,
    statusText: "Fine",
    used: true,
  });
  const badStatus = await run("export default async () => new Response('x', { status: 99 });");
  expect(badStatus).toMatchObject({ outcome: "error", error: { name: "RangeError" } });
});

test("Headers: case-insensitive, appended values joined, set-cookie kept apart, invalid names refused", async () => {
  const source = [
    "export default async () => {",
    '  const h = new Headers([["X-Multi", "a"], ["Accept", " text/html "]]);',
    '  h.append("x-multi", "b");',
    '  h.append("Set-Cookie", "a=1");',
    '  h.append("set-cookie", "b=2");',
    "  const seen: string[] = [];",
    "  h.forEach((value, name) => seen.push(name + '=' + value));",
    "  let invalid = '';",
    '  try { h.set("bad name", "x"); } catch (e) { invalid = e.name; }',
    '  h.delete("ACCEPT");',
    "  return Response.json({",
    '    multi: h.get("X-MULTI"), has: h.has("accept"), cookies: h.getSetCookie(), seen, invalid,',
    "    keys: [...h.keys()], values: [...h.values()], entries: [...h.entries()].length,",
    "  });",
    "};",
  ].join("\n");
  expect(await json(source)).toEqual({
    multi: "a, b",
    has: false,
    cookies: ["a=1", "b=2"],
    seen: ["accept=text/html", "set-cookie=a=1", "set-cookie=b=2", "x-multi=a, b"],
    invalid: "TypeError",
    keys: ["set-cookie", "set-cookie", "x-multi"],
    values: ["a=1", "b=2", "a, b"],
    entries: 3,
  });
});

test("URL and URLSearchParams follow the WHATWG URL standard", async () => {
  const source = [
    "export default async ({ request }) => {",
    "  const url = new URL(request.url);",
    '  url.searchParams.append("added", "a b&c");',
    '  url.pathname = "/other path";',
    '  url.hash = "frag";',
    '  const params = new URLSearchParams({ z: "1", a: "é" });',
    "  params.sort();",
    "  let invalid = '';",
    '  try { new URL("not a url"); } catch (e) { invalid = e.name; }',
    "  return Response.json({",
    "    href: url.href, origin: url.origin, host: url.host, search: url.search,",
    '    sources: url.searchParams.getAll("source"), params: params.toString(),',
    '    relative: new URL("../up?x#y", "https://a.test/b/c/d").href, invalid,',
    '    canParse: [URL.canParse("https://x.test"), URL.canParse("nope")],',
    '    fromPairs: new URLSearchParams([["k", "v"], ["k", "w"]]).getAll("k"),',
    "  });",
    "};",
  ].join("\n");
  expect(await json(source)).toEqual({
    href: "https://hooks.example.test/other%20path?source=shop&source=other&flag=&added=a+b%26c#frag",
    origin: "https://hooks.example.test",
    host: "hooks.example.test",
    search: "?source=shop&source=other&flag=&added=a+b%26c",
    sources: ["shop", "other"],
    params: "a=%C3%A9&z=1",
    relative: "https://a.test/b/up?x#y",
    invalid: "TypeError",
    canParse: [true, false],
    fromPairs: ["v", "w"],
  });
});

test("TextEncoder, TextDecoder, atob, btoa and crypto.randomUUID", async () => {
  const source = [
    "export default async () => {",
    '  const bytes = new TextEncoder().encode("héllo €😀");',
    "  let fatal = '';",
    '  try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { fatal = e.name; }',
    "  let notLatin1 = '';",
    '  try { btoa("€"); } catch (e) { notLatin1 = e.name; }',
    "  return Response.json({",
    "    length: bytes.length,",
    "    roundTrip: new TextDecoder().decode(bytes),",
    "    lenient: new TextDecoder().decode(new Uint8Array([0x61, 0xff])),",
    "    fatal,",
    '    btoa: btoa("hello\\u00ff"),',
    '    atob: atob("aGVs bG8=") ,',
    "    notLatin1,",
    "    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),",
    "    distinct: crypto.randomUUID() !== crypto.randomUUID(),",
    "    random: crypto.getRandomValues(new Uint8Array(16)).length,",
    "  });",
    "};",
  ].join("\n");
  expect(await json(source)).toEqual({
    length: 14,
    roundTrip: "héllo €😀",
    lenient: "a\ufffd",
    fatal: "TypeError",
    btoa: Buffer.from("hello\u00ff", "latin1").toString("base64"),
    atob: "hello",
    notLatin1: "InvalidCharacterError",
    uuid: true,
    distinct: true,
    random: 16,
  });
});

test("globals compiled on first use behave like plain globals", async () => {
  const source = [
    "export default async () => {",
    "  const before = Object.getOwnPropertyDescriptor(globalThis, 'URL');",
    "  const kind = typeof URL;",
    "  const after = Object.getOwnPropertyDescriptor(globalThis, 'URL');",
    "  (globalThis as any).TextEncoder = 'replaced';",
    "  return Response.json({",
    "    accessorBefore: typeof before?.get, kind, dataAfter: 'value' in (after ?? {}),",
    "    replaced: (globalThis as any).TextEncoder, decoder: typeof TextDecoder, btoa: btoa('x'),",
    "  });",
    "};",
  ].join("\n");
  expect(await json(source)).toEqual({
    accessorBefore: "function",
    kind: "function",
    dataAfter: true,
    replaced: "replaced",
    decoder: "function",
    btoa: "eA==",
  });
});

test("console and utils.log write the execution log, with levels and times", async () => {
  const source = [
    "export default async ({ utils }) => {",
    '  console.log("plain", 1, true, null, undefined, { a: [1, { b: "c" }] });',
    '  console.info("info"); console.warn("warn"); console.error(new TypeError("bad"));',
    '  console.debug("debug");',
    '  utils.log("from utils");',
    "  const loop: any = {}; loop.self = loop; console.log(loop);",
    '  return new Response("ok");',
    "};",
  ].join("\n");
  const result = await run(source);
  expect(result.logs.map(({ level, message }) => [level, message.split("\n")[0]])).toEqual([
    ["log", 'plain 1 true null undefined { a: [ 1, { b: "c" } ] }'],
    ["info", "info"],
    ["warn", "warn"],
    ["error", "TypeError: bad"],
    ["debug", "debug"],
    ["log", "from utils"],
    ["log", "{ self: [Circular] }"],
  ]);
  for (const line of result.logs) expect(line.at).toBeGreaterThanOrEqual(0);
  expect(result.logsTruncated).toBe(false);
});

describe("host calls", () => {
  test("utils.publish goes to HostCalls.publish and its id is collected", async () => {
    const host = recordingHost();
    const source = [
      "export default async ({ utils }) => {",
      '  const first = await utils.publish({ event_type: "order.paid", data: { id: 42 }, object_id: "order-42", idempotency_key: "k1" });',
      '  const second = await utils.publish({ event_type: "order.shipped", data: [1, 2] });',
      "  return Response.json({ first, second });",
      "};",
    ].join("\n");
    const result = await run(source, { host });
    expect(JSON.parse(result.response?.body ?? "")).toEqual({
      first: { id: "evt_1", event_type: "order.paid", deliveries: 2 },
      second: { id: "evt_2", event_type: "order.shipped", deliveries: 2 },
    });
    expect(result.publishedEventIds).toEqual(["evt_1", "evt_2"]);
    expect(host.published).toEqual([
      { event_type: "order.paid", data: { id: 42 }, object_id: "order-42", idempotency_key: "k1" },
      { event_type: "order.shipped", data: [1, 2] },
    ]);
  });

  test("a HostCallError rejects inside the sandbox with its message, code and details; other errors stay on the host", async () => {
    const errors: unknown[] = [];
    const logger = { warn: () => undefined, error: (obj: object) => void errors.push(obj) };
    const local = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, logger });
    try {
      const refusing = recordingHost({
        publish: async () => {
          throw new HostCallError("unknown event type", "unknown_event_type", { event_type: "nope" });
        },
        fetch: async () => {
          throw new Error("connect ECONNREFUSED 10.0.0.7:5432 (a host secret)");
        },
      });
      const source = [
        "export default async ({ utils }) => {",
        "  const seen: any[] = [];",
        '  try { await utils.publish({ event_type: "nope", data: {} }); } catch (e) { seen.push({ name: e.name, message: e.message, code: e.code, details: e.details }); }',
        '  try { await utils.fetch("https://api.example.test/"); } catch (e) { seen.push({ name: e.name, message: e.message, code: e.code }); }',
        "  return Response.json(seen);",
        "};",
      ].join("\n");
      const result = await local.run(invocation(source, { host: refusing }));
      expect(JSON.parse(result.response?.body ?? "")).toEqual([
        { name: "HostCallError", message: "unknown event type", code: "unknown_event_type", details: { event_type: "nope" } },
        { name: "HostCallError", message: "utils.fetch failed", code: "internal" },
      ]);
      expect(result.response?.body).not.toContain("ECONNREFUSED");
      expect(result.publishedEventIds).toEqual([]);
      expect(errors).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  test("utils.fetch goes to HostCalls.fetch with the remaining wall time, and answers a Response", async () => {
    const timeouts: number[] = [];
    const host = recordingHost({
      fetch: async (input, timeoutMs) => {
        timeouts.push(timeoutMs);
        return { status: 404, headers: [["content-type", "application/json"]], body: JSON.stringify({ asked: input.url }) };
      },
    });
    const source = [
      "export default async ({ utils }) => {",
      '  const response = await utils.fetch(new URL("https://api.example.test/items?id=1"), { method: "put", headers: { "X-Key": "k" }, body: "payload" });',
      "  return Response.json({ status: response.status, ok: response.ok, type: response.headers.get('content-type'), body: await response.json(), url: response.url });",
      "};",
    ].join("\n");
    const result = await run(source, { host });
    expect(JSON.parse(result.response?.body ?? "")).toEqual({
      status: 404,
      ok: false,
      type: "application/json",
      body: { asked: "https://api.example.test/items?id=1" },
      url: "https://api.example.test/items?id=1",
    });
    expect(host.fetched).toEqual([
      { url: "https://api.example.test/items?id=1", method: "PUT", headers: [["x-key", "k"]], body: "payload" },
    ]);
    expect(timeouts[0]).toBeGreaterThan(0);
    expect(timeouts[0]).toBeLessThanOrEqual(DEFAULT_SANDBOX_LIMITS.wallMs);
  });

  test("utils.fetch is limited to fetchCount calls and to http(s) URLs", async () => {
    const host = recordingHost();
    const source = [
      "export default async ({ utils }) => {",
      "  const codes: string[] = [];",
      "  for (let i = 0; i < 4; i++) {",
      '    try { await utils.fetch("https://api.example.test/" + i); codes.push("ok"); } catch (e) { codes.push(e.code); }',
      "  }",
      '  try { await utils.fetch("file:///etc/passwd"); } catch (e) { codes.push(e.code); }',
      "  return Response.json(codes);",
      "};",
    ].join("\n");
    const result = await run(source, { host, limits: { fetchCount: 2 } });
    expect(JSON.parse(result.response?.body ?? "")).toEqual(["ok", "ok", "fetch_limit", "fetch_limit", "fetch_limit"]);
    expect(host.fetched).toHaveLength(2);
  });

  test("a host call that never answers ends in a timeout at wallMs, and the thread goes on", async () => {
    const host = recordingHost({ fetch: () => new Promise(() => undefined) });
    const result = await run(
      'export default async ({ utils }) => { await utils.fetch("https://slow.example.test/"); return new Response("late"); };',
      {
        host,
        limits: { wallMs: 300 },
      },
    );
    expect(result.outcome).toBe("timeout");
    expect((await run('export default async () => new Response("next");')).response?.body).toBe("next");
  });

  test("invalid publish input is refused in the sandbox, before any host call", async () => {
    const host = recordingHost();
    const source = [
      "export default async ({ utils }) => {",
      "  const errors: string[] = [];",
      "  for (const input of [undefined, { event_type: '' }, { event_type: 'x', data: 1n }, { event_type: 'x', object_id: 5 }]) {",
      "    try { await utils.publish(input as any); } catch (e) { errors.push(e.name); }",
      "  }",
      "  return Response.json(errors);",
      "};",
    ].join("\n");
    const result = await run(source, { host });
    expect(JSON.parse(result.response?.body ?? "")).toEqual(["TypeError", "TypeError", "TypeError", "TypeError"]);
    expect(host.published).toEqual([]);
  });
});

test("request headers arrive lower-cased even if the caller did not", async () => {
  const result = await run('export default async ({ request }) => new Response(request.headers.get("x-mixed") ?? "missing");', {
    request: request({ headers: [["X-Mixed", "yes"]] }),
  });
  expect(result.response?.body).toBe("yes");
});
