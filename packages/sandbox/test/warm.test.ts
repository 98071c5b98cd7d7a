import { createHmac } from "node:crypto";
import { DEFAULT_SANDBOX_LIMITS, SandboxPool, type Invocation, type InvocationResult } from "../src/index.js";
import type { PreparedContext } from "../src/prepared-context.js";
import { WarmContexts, warmContextOptions } from "../src/warm-contexts.js";
import { compiled, recordingHost, request } from "./helpers.js";

/**
 * Warm contexts: a context in which an invocation ended cleanly serves the next invocation of the
 * same tenant and code on that thread. Module state may persist between those; nothing persists
 * across tenants or codeKeys, or past an invocation that did not end cleanly.
 */

/** Counts its invocations in module state and in a global; the request body picks how the call ends. */
const COUNTER = compiled(
  [
    "let calls = 0;",
    "export default async ({ request, utils }) => {",
    "  calls++;",
    "  (globalThis as any).marker = ((globalThis as any).marker ?? 0) + 1;",
    "  const mode = await request.text();",
    '  if (mode === "throw") throw new Error("failed on purpose");',
    '  if (mode === "spin") for (;;) {}',
    '  if (mode === "hang") await new Promise(() => {});',
    '  if (mode === "oom") { let s = "x"; for (;;) s += s; }',
    '  if (mode === "sort") { const a = new Float64Array(1 << 20); for (let i = 0; i < 1e6; i++) { a.reverse(); a.sort(); } }',
    '  if (mode === "unawaited-fetch") void utils.fetch("https://never.example.test/").catch(() => undefined);',
    '  if (mode === "bad-response") return new Response("x", { status: 700 });',
    "  return Response.json({ calls, marker: (globalThis as any).marker });",
    "};",
  ].join("\n"),
);

const counted = (result: InvocationResult): { calls: number; marker: number } => {
  if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${JSON.stringify(result.error)}`);
  return JSON.parse(result.response?.body ?? "") as { calls: number; marker: number };
};

const call = (pool: SandboxPool, tenantId: string, codeKey: string, body = "", overrides: Partial<Invocation> = {}) =>
  pool.run({ tenantId, codeKey, js: COUNTER, request: request({ body }), env: {}, host: recordingHost(), ...overrides });

/** Waits until every thread of the pool is ready (a test peek at the pool's threads). */
async function allThreadsReady(pool: SandboxPool): Promise<void> {
  const threads = (pool as unknown as { threads: { ready: boolean }[] }).threads;
  while (!threads.every((thread) => thread.ready)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("on one thread", () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
  });
  afterAll(() => pool.close());

  test("module state and globals persist between invocations of the same tenant and code", async () => {
    for (let i = 1; i <= 4; i++) expect(counted(await call(pool, "t-same", "k1"))).toEqual({ calls: i, marker: i });
  });

  test("each codeKey of a tenant has its own context: nothing is shared between them", async () => {
    expect(counted(await call(pool, "t-keys", "k1"))).toEqual({ calls: 1, marker: 1 });
    expect(counted(await call(pool, "t-keys", "k2"))).toEqual({ calls: 1, marker: 1 });
    expect(counted(await call(pool, "t-keys", "k1"))).toEqual({ calls: 2, marker: 2 });
    expect(counted(await call(pool, "t-keys", "k2"))).toEqual({ calls: 2, marker: 2 });
  });

  test("a codeKey given other code does not reuse the context of the first code", async () => {
    expect(counted(await call(pool, "t-js", "k1"))).toEqual({ calls: 1, marker: 1 });
    const other = `${COUNTER}\n// another version under the same codeKey`;
    expect(counted(await call(pool, "t-js", "k1", "", { js: other }))).toEqual({ calls: 1, marker: 1 });
  });

  test("another tenant on the thread starts clean, and the first tenant's contexts are gone when it comes back", async () => {
    const polluter = compiled(
      [
        "let calls = 0;",
        "export default async () => {",
        "  calls++;",
        '  (Object.prototype as any).polluted = "tenant A";',
        '  (globalThis as any).secret = "tenant A\'s secret";',
        "  (Array.prototype as any).push = () => 0;",
        '  JSON.stringify = () => "forged by A";',
        "  return new Response(String(calls));",
        "};",
      ].join("\n"),
    );
    const checker = compiled(
      [
        "export default async () => Response.json({",
        "  polluted: ({} as any).polluted ?? null,",
        "  secret: (globalThis as any).secret ?? null,",
        "  push: [1].push(2),",
        "  stringify: JSON.stringify({ a: 1 }),",
        "});",
      ].join("\n"),
    );
    const a = { tenantId: "tenant-a", codeKey: "pollute", js: polluter };
    expect((await call(pool, "", "", "", a)).response?.body).toBe("1");
    expect((await call(pool, "", "", "", a)).response?.body).toBe("2");
    const seenByB = await call(pool, "", "", "", { tenantId: "tenant-b", codeKey: "check", js: checker });
    expect(JSON.parse(seenByB.response?.body ?? "")).toEqual({ polluted: null, secret: null, push: 2, stringify: '{"a":1}' });
    // Tenant A's warm context was disposed before tenant B ran: A starts over.
    expect((await call(pool, "", "", "", a)).response?.body).toBe("1");
  });

  describe("a context is not reused after an invocation that did not end cleanly", () => {
    const afterFailure = async (tenantId: string, mode: string, outcome: InvocationResult["outcome"], limits = {}) => {
      expect(counted(await call(pool, tenantId, "k"))).toEqual({ calls: 1, marker: 1 });
      expect(counted(await call(pool, tenantId, "k"))).toEqual({ calls: 2, marker: 2 });
      const failed = await call(pool, tenantId, "k", mode, { limits });
      expect(failed.outcome).toBe(outcome);
      expect(counted(await call(pool, tenantId, "k"))).toEqual({ calls: 1, marker: 1 });
    };

    test("error", () => afterFailure("t-error", "throw", "error"));
    test("an invalid response (error)", () => afterFailure("t-invalid", "bad-response", "error"));
    test("cpu_limit", () => afterFailure("t-cpu", "spin", "cpu_limit"));
    test("timeout", () => afterFailure("t-timeout", "hang", "timeout"));
    test("memory_limit", () => afterFailure("t-memory", "oom", "memory_limit"));
    test("the watchdog replacing the thread", () => afterFailure("t-watchdog", "sort", "cpu_limit"));

    test("ok with a host call still out", async () => {
      const host = recordingHost({ fetch: () => new Promise(() => undefined) });
      expect(counted(await call(pool, "t-outstanding", "k"))).toEqual({ calls: 1, marker: 1 });
      const unawaited = await call(pool, "t-outstanding", "k", "unawaited-fetch", { host });
      expect(counted(unawaited)).toEqual({ calls: 2, marker: 2 });
      expect(counted(await call(pool, "t-outstanding", "k"))).toEqual({ calls: 1, marker: 1 });
    });
  });

  test("request, env, utils, the log, the fetch count and the published ids are the invocation's own in a warm context", async () => {
    const js = compiled(
      [
        "let kept: any = null;",
        "export default async ({ request, env, utils }) => {",
        "  const first = kept === null;",
        "  if (first) kept = { request, env, utils };",
        "  const codes: string[] = [];",
        "  for (let i = 0; i < 3; i++) {",
        '    try { await utils.fetch("https://api.example.test/" + i); codes.push("ok"); } catch (e) { codes.push(e.code); }',
        "  }",
        '  await utils.publish({ event_type: "call.made", data: { n: env.N } });',
        '  console.log("call " + env.N);',
        '  utils.log("x".repeat(100));',
        '  let stale = "";',
        '  if (!first) { try { await kept.utils.fetch("https://api.example.test/stale"); } catch (e) { stale = e.message; } }',
        "  return Response.json({",
        "    first, codes, env: env.N, firstEnv: kept.env.N, sameEnv: kept.env === env, frozen: Object.isFrozen(env),",
        "    sameUtils: kept.utils === utils, body: await request.text(), firstBody: await kept.request.text(), stale,",
        "  });",
        "};",
      ].join("\n"),
    );
    const host = recordingHost();
    const limits = { fetchCount: 2, logBytes: 150 };
    const run = (n: string, body: string) =>
      pool.run({ tenantId: "t-fresh", codeKey: "k", js, request: request({ body }), env: { N: n }, host, limits });
    const first = await run("1", "one");
    const second = await run("2", "two");
    expect(JSON.parse(first.response?.body ?? "")).toMatchObject({ first: true, codes: ["ok", "ok", "fetch_limit"], env: "1" });
    expect(JSON.parse(second.response?.body ?? "")).toEqual({
      first: false, // the same context: the module state kept from the first invocation
      codes: ["ok", "ok", "fetch_limit"],
      env: "2",
      firstEnv: "1",
      sameEnv: false,
      frozen: true,
      sameUtils: false,
      body: "two",
      firstBody: "one",
      stale: "utils.fetch: this utils object belongs to an invocation that has ended",
    });
    expect(first.publishedEventIds).toEqual(["evt_1"]);
    expect(second.publishedEventIds).toEqual(["evt_2"]);
    expect(second.logs.map((line) => line.message)).toEqual(["call 2", "x".repeat(100)]);
    expect(second.logsTruncated).toBe(false);
    expect(host.fetched).toHaveLength(4);
  });

  test("utils.verifyWebhook checks the invocation's own request in a warm context", async () => {
    const js = compiled(
      'export default async ({ utils }) => Response.json(utils.verifyWebhook({ provider: "github", secret: "s3cret" }));',
    );
    const signed = (body: string) =>
      request({ body, headers: [["x-hub-signature-256", `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`]] });
    const run = (req: ReturnType<typeof request>) =>
      pool.run({ tenantId: "t-verify", codeKey: "k", js, request: req, env: {}, host: recordingHost() });
    expect((await run(signed("first body"))).response?.body).toBe("true");
    expect((await run(signed("second body"))).response?.body).toBe("true");
    expect((await run({ ...signed("first body"), body: "third body" })).response?.body).toBe("false");
  });

  test("the CPU budget is per invocation in a warm context", async () => {
    // Each call busies itself for 300 ms of a 500 ms budget: two calls together would pass it.
    const js = compiled(
      "let calls = 0;\nexport default async () => { const end = Date.now() + 300; while (Date.now() < end) {} return new Response(String(++calls)); };",
    );
    const run = () =>
      pool.run({ tenantId: "t-cpu-budget", codeKey: "k", js, request: request(), env: {}, host: recordingHost(), limits: { cpuMs: 500 } });
    const first = await run();
    const second = await run();
    expect([first.outcome, second.outcome]).toEqual(["ok", "ok"]);
    expect(second.response?.body).toBe("2");
  });
});

describe("memory on one thread", () => {
  // 36 MiB held in a global; the WebAssembly memory is capped at 64 + 8 MiB. Two such arrays do not fit.
  // The mode comes from a header, read before any await: a large allocation inside a promise job can
  // leave a runtime QuickJS cannot free (quickjs-emscripten issue #269), and the thread would then
  // drop its whole module instead of disposing the context, which is not what these tests are about.
  const HOLD = compiled(
    [
      "let calls = 0;",
      "export default async ({ request }) => {",
      "  calls++;",
      '  if (request.headers.get("x-mode") === "hold") (globalThis as any).big ??= new Uint8Array(36 << 20);',
      "  else { const local = new Uint8Array(36 << 20); local[0] = 1; }",
      "  return new Response(String(calls));",
      "};",
    ].join("\n"),
  );
  let pool: SandboxPool;
  let restarts: unknown[];
  beforeEach(() => {
    restarts = [];
    const logger = { warn: (obj: object) => void restarts.push(obj), error: (obj: object) => void restarts.push(obj) };
    pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, logger });
  });
  afterEach(() => pool.close());
  const run = (tenantId: string, codeKey: string, mode: string) =>
    pool.run({
      tenantId,
      codeKey,
      js: HOLD,
      request: request({ headers: [["x-mode", mode]] }),
      env: {},
      host: recordingHost(),
      limits: { cpuMs: 5000 },
    });

  test("what one tenant keeps in a warm context is freed before another tenant runs", async () => {
    expect((await run("holder", "k", "hold")).response?.body).toBe("1");
    expect((await run("holder", "k", "hold")).response?.body).toBe("2"); // warm, still holding
    expect(await run("other", "k", "allocate")).toMatchObject({ outcome: "ok", response: { body: "1" } });
    expect(restarts).toEqual([]); // freed by disposing the holder's context, not by a new module
  });

  test("what a tenant keeps warm counts against its own other code; after memory_limit its warm contexts are dropped", async () => {
    expect((await run("holder", "k1", "hold")).response?.body).toBe("1");
    expect((await run("holder", "k2", "allocate")).outcome).toBe("memory_limit");
    expect(await run("holder", "k2", "allocate")).toMatchObject({ outcome: "ok", response: { body: "1" } });
    expect((await run("holder", "k1", "hold")).response?.body).toBe("1");
    expect(restarts).toEqual([]);
  });
});

describe("scheduling with two threads", () => {
  test("when both threads are free, a tenant's invocation goes to the thread warm for it", async () => {
    const pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS });
    try {
      await allThreadsReady(pool);
      for (let i = 1; i <= 3; i++) {
        expect(counted(await call(pool, "t-a", "k")).calls).toBe(i);
        expect(counted(await call(pool, "t-b", "k")).calls).toBe(i);
      }
    } finally {
      await pool.close();
    }
  });

  test("without preferWarmThreads the first free thread takes it, and tenants taking turns on it start over each time", async () => {
    const pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS, preferWarmThreads: false });
    try {
      await allThreadsReady(pool);
      for (let i = 1; i <= 3; i++) {
        expect(counted(await call(pool, "t-a", "k")).calls).toBe(1);
        expect(counted(await call(pool, "t-b", "k")).calls).toBe(1);
      }
    } finally {
      await pool.close();
    }
  });
});

test("warmContexts.perThread 0 gives every invocation a fresh context", async () => {
  const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, warmContexts: { perThread: 0 } });
  try {
    for (let i = 0; i < 3; i++) expect(counted(await call(pool, "t", "k")).calls).toBe(1);
  } finally {
    await pool.close();
  }
});

test("warmContexts.maxUses: a context serves at most maxUses invocations", async () => {
  const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, warmContexts: { maxUses: 2 } });
  try {
    const calls: number[] = [];
    for (let i = 0; i < 5; i++) calls.push(counted(await call(pool, "t", "k")).calls);
    expect(calls).toEqual([1, 2, 1, 2, 1]);
  } finally {
    await pool.close();
  }
});

test("invalid warmContexts options are refused", () => {
  expect(() => new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, warmContexts: { perThread: -1 } })).toThrow(TypeError);
  expect(() => new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, warmContexts: { idleMs: 0 } })).toThrow(TypeError);
  expect(() => new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS, warmContexts: { maxUses: 1.5 } })).toThrow(TypeError);
});

describe("WarmContexts (the bookkeeping, with stand-in contexts)", () => {
  const fake = (name: string) => ({ name }) as unknown as PreparedContext;
  const setup = (options = {}) => {
    const disposed: string[] = [];
    const cache = new WarmContexts(warmContextOptions(options), (context) => disposed.push((context as unknown as { name: string }).name));
    return { cache, disposed };
  };

  test("a context is found by tenant, codeKey and js, and taken out while it runs", () => {
    const { cache, disposed } = setup();
    cache.keep("a", "k1", "js1", fake("a/k1"), 1, 0);
    expect(cache.state).toEqual({ tenantId: "a", codeKeys: ["k1"] });
    const entry = cache.take("a", "k1", "js1", 1);
    expect(entry?.uses).toBe(1);
    expect(cache.size).toBe(0);
    expect(cache.take("a", "k1", "js1", 2)).toBeUndefined();
    expect(disposed).toEqual([]);
  });

  test("taking for another tenant disposes every context of the first", () => {
    const { cache, disposed } = setup();
    cache.keep("a", "k1", "js", fake("a/k1"), 1, 0);
    cache.keep("a", "k2", "js", fake("a/k2"), 1, 0);
    expect(cache.take("b", "k1", "js", 1)).toBeUndefined();
    expect(disposed).toEqual(["a/k1", "a/k2"]);
    expect(cache.state).toEqual({ tenantId: null, codeKeys: [] });
    cache.keep("b", "k1", "js", fake("b/k1"), 1, 1);
    expect(cache.state).toEqual({ tenantId: "b", codeKeys: ["k1"] });
  });

  test("other js under the same codeKey: the old context is disposed, not reused", () => {
    const { cache, disposed } = setup();
    cache.keep("a", "k1", "old", fake("old"), 1, 0);
    expect(cache.take("a", "k1", "new", 1)).toBeUndefined();
    expect(disposed).toEqual(["old"]);
  });

  test("at most perThread contexts, the least recently used evicted", () => {
    const { cache, disposed } = setup({ perThread: 2 });
    cache.keep("a", "k1", "js", fake("k1"), 1, 0);
    cache.keep("a", "k2", "js", fake("k2"), 1, 1);
    const k1 = cache.take("a", "k1", "js", 2);
    cache.keep("a", "k1", "js", k1?.context ?? fake("missing"), 2, 2); // k1 is now the most recently used
    cache.keep("a", "k3", "js", fake("k3"), 1, 3);
    expect(disposed).toEqual(["k2"]);
    expect(cache.state.codeKeys).toEqual(["k1", "k3"]);
  });

  test("a context idle past idleMs is disposed, by take or by a sweep", () => {
    const { cache, disposed } = setup({ idleMs: 1000 });
    cache.keep("a", "k1", "js", fake("k1"), 1, 0);
    cache.keep("a", "k2", "js", fake("k2"), 1, 500);
    expect(cache.sweep(1200)).toBe(true);
    expect(disposed).toEqual(["k1"]);
    expect(cache.take("a", "k2", "js", 1400)?.context).toEqual(fake("k2"));
    cache.keep("a", "k2", "js", fake("k2"), 2, 1400);
    expect(cache.take("a", "k2", "js", 2401)).toBeUndefined();
    expect(disposed).toEqual(["k1", "k2"]);
  });

  test("a context that has served maxUses invocations is disposed instead of kept", () => {
    const { cache, disposed } = setup({ maxUses: 3 });
    cache.keep("a", "k1", "js", fake("k1"), 2, 0);
    const entry = cache.take("a", "k1", "js", 1);
    expect(entry?.uses).toBe(2);
    cache.keep("a", "k1", "js", entry?.context ?? fake("missing"), (entry?.uses ?? 0) + 1, 1);
    expect(disposed).toEqual(["k1"]);
    expect(cache.size).toBe(0);
  });
});
