import { DEFAULT_SANDBOX_LIMITS, SandboxPool, type Invocation, type InvocationResult } from "../src/index.js";
import { validateFlowResult } from "../src/validate.js";
import { compiled, invocation, recordingHost, request } from "./helpers.js";

/**
 * Flow invocations: the default export's return value is the flow's result, handed back as JSON
 * text. One thread, so that each test's follow-up invocation runs on the thread that just served
 * the one before (a failure must leave it working) and warm contexts are found again.
 */
let pool: SandboxPool;
beforeAll(() => {
  pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
});
afterAll(() => pool.close());

const CONTEXT = {
  customer: { id: "cus_1", external_id: "acme-42", name: "Acme" },
  flow: { name: "orders", attempt: 1, execution_id: "exe_1" },
};

const flow = (source: string, overrides: Partial<Invocation> = {}): Promise<InvocationResult> =>
  pool.run(invocation(source, { kind: "flow", context: CONTEXT, ...overrides }));

/** The result of an invocation that must have ended ok, parsed. */
const resultOf = (result: InvocationResult): unknown => {
  if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${JSON.stringify(result.error)}`);
  expect(result.response).toBeUndefined();
  return result.result === null ? null : JSON.parse(result.result ?? "");
};

async function expectNextWorks(): Promise<void> {
  const next = await flow("export default async () => ({ next: true });");
  expect(next).toMatchObject({ outcome: "ok", result: '{"next":true}' });
}

describe("results", () => {
  test("the documented flow: reads the request, logs, returns an object", async () => {
    const source = [
      "export default async ({ request, env, utils, customer, flow }) => {",
      '  utils.log("order", (await request.json()).order);',
      "  return { ok: true, items: 3, customer: customer.name, flow: flow.name, greeting: env.GREETING };",
      "};",
    ].join("\n");
    const result = await flow(source);
    expect(result.outcome).toBe("ok");
    expect(result.result).toBe('{"ok":true,"items":3,"customer":"Acme","flow":"orders","greeting":"hello"}');
    expect(result.logs).toEqual([expect.objectContaining({ level: "log", message: "order 42" })]);
    expect(result.error).toBeUndefined();
  });

  test("a string, a number, a boolean, null, an array: their JSON text", async () => {
    expect((await flow('export default async () => "shipped";')).result).toBe('"shipped"');
    expect((await flow("export default async () => 42.5;")).result).toBe("42.5");
    expect((await flow("export default async () => false;")).result).toBe("false");
    expect((await flow("export default async () => null;")).result).toBe("null");
    expect((await flow('export default async () => [1, "two", { three: 3 }];')).result).toBe('[1,"two",{"three":3}]');
    // JSON.stringify's own rules: NaN is null, undefined properties are left out, a Date is its ISO text.
    expect(resultOf(await flow("export default async () => ({ n: NaN, u: undefined, d: new Date(0), list: [undefined] });"))).toEqual({
      n: null,
      d: "1970-01-01T00:00:00.000Z",
      list: [null],
    });
  });

  test("undefined (or no return at all) is a null result; a synchronous default export works too", async () => {
    const returned = await flow("export default async () => undefined;");
    expect(returned.outcome).toBe("ok");
    expect(returned.result).toBeNull();
    const nothing = await flow('export default async ({ utils }) => { utils.log("done"); };');
    expect(nothing).toMatchObject({ outcome: "ok", result: null });
    expect((await flow("export default () => ({ sync: true });")).result).toBe('{"sync":true}');
  });

  test("text that is not ASCII and lone surrogates come back as JSON the host can parse", async () => {
    const result = await flow('export default async () => ({ text: "h\\u00e9llo \\u{1F600}", lone: "\\ud800" });');
    expect(resultOf(result)).toEqual({ text: "h\u00e9llo \u{1F600}", lone: "\ud800" });
  });

  test("a default export that is not a function is an error that says so", async () => {
    const result = await flow("export default 42;");
    expect(result).toMatchObject({ outcome: "error", error: { message: "the flow's default export is a number, not a function" } });
  });
});

describe("context", () => {
  test("arrives as given, next to request, env and utils, frozen all the way down", async () => {
    const source = [
      "export default async function (argument) {",
      "  const { customer, flow } = argument;",
      "  const attempts: string[] = [];",
      "  const attempt = (what: string, change: () => void) => {",
      "    try { change(); attempts.push(what + ': changed'); } catch (e) { attempts.push(what + ': ' + e.name); }",
      "  };",
      '  attempt("customer.name", () => { customer.name = "Evil"; });',
      '  attempt("flow.attempt", () => { flow.attempt = 99; });',
      '  attempt("argument.customer", () => { argument.customer = null; });',
      '  attempt("deep", () => { argument.extra.nested.list.push(4); });',
      "  return {",
      "    keys: Object.keys(argument),",
      "    customer, flow, extra: argument.extra,",
      "    frozen: [argument, customer, flow, argument.extra.nested, argument.extra.nested.list].map(Object.isFrozen),",
      "    plain: Object.getPrototypeOf(customer) === Object.prototype,",
      "    attempts,",
      "  };",
      "}",
    ].join("\n");
    const context = { ...CONTEXT, extra: { nested: { list: [1, 2, 3] }, nothing: null } };
    expect(resultOf(await flow(source, { context }))).toEqual({
      keys: ["request", "env", "utils", "customer", "flow", "extra"],
      customer: CONTEXT.customer,
      flow: CONTEXT.flow,
      extra: { nested: { list: [1, 2, 3] }, nothing: null },
      frozen: [true, true, true, true, true],
      plain: true,
      attempts: ["customer.name: TypeError", "flow.attempt: TypeError", "argument.customer: TypeError", "deep: TypeError"],
    });
  });

  test("a customer of null, and a flow without context sees only request, env and utils", async () => {
    const keys = "export default async (argument) => ({ keys: Object.keys(argument), customer: argument.customer });";
    expect(resultOf(await flow(keys, { context: { customer: null, flow: CONTEXT.flow } }))).toEqual({
      keys: ["request", "env", "utils", "customer", "flow"],
      customer: null,
    });
    const none = await pool.run(invocation(keys, { kind: "flow" }));
    expect(resultOf(none)).toEqual({ keys: ["request", "env", "utils"] });
  });

  test("is data only: a copy made with JSON (a Date is its text, a function or undefined is left out)", async () => {
    const source = "export default async ({ data }) => ({ data, type: typeof data.when, keys: Object.keys(data) });";
    const context = { data: { when: new Date(0), fn: () => 1, missing: undefined, n: 1 } };
    expect(resultOf(await flow(source, { context }))).toEqual({
      data: { when: "1970-01-01T00:00:00.000Z", n: 1 },
      type: "string",
      keys: ["when", "n"],
    });
  });

  test("a context property named __proto__ is an own property, not the argument's prototype", async () => {
    const context = JSON.parse('{"__proto__": {"polluted": true}, "flow": {"name": "x"}}') as Record<string, unknown>;
    const source =
      "export default async (argument) => ({ own: Object.getOwnPropertyNames(argument).includes('__proto__'), polluted: (argument as any).polluted ?? null, proto: Object.getPrototypeOf(argument) === Object.prototype });";
    expect(resultOf(await flow(source, { context }))).toEqual({ own: true, polluted: null, proto: true });
  });

  test("request, env and utils cannot be replaced: run() rejects with a TypeError, nothing runs", async () => {
    const host = recordingHost();
    const source = 'export default async ({ utils }) => { await utils.publish({ event_type: "ran", data: {} }); };';
    for (const name of ["request", "env", "utils"]) {
      await expect(flow(source, { host, context: { [name]: { fake: true } } })).rejects.toThrow(
        new TypeError(`Invocation.context may not set "${name}": request, env and utils are the sandbox's own`),
      );
    }
    // What is checked is the JSON the sandbox would see, so a toJSON cannot slip a reserved name in.
    const sneaky = { toJSON: () => ({ env: { SECRET: "forged" } }) } as unknown as Record<string, unknown>;
    await expect(flow(source, { host, context: sneaky })).rejects.toThrow(TypeError);
    expect(host.published).toEqual([]);
  });

  test("a context that is not a JSON object, or cannot be serialised, makes run() reject", async () => {
    const source = "export default async () => 1;";
    await expect(flow(source, { context: [1, 2] as unknown as Record<string, unknown> })).rejects.toThrow(
      "Invocation.context must be a JSON object, got an array",
    );
    await expect(flow(source, { context: null as unknown as Record<string, unknown> })).rejects.toThrow(
      "Invocation.context must be a JSON object, got null",
    );
    await expect(flow(source, { context: { big: 1n } })).rejects.toThrow(/^Invocation\.context cannot be serialised as JSON: /);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await expect(flow(source, { context: cycle })).rejects.toThrow(TypeError);
    await expect(flow(source, { kind: "other" as Invocation["kind"] })).rejects.toThrow(
      'Invocation.kind must be "endpoint" or "flow", got "other"',
    );
    await expectNextWorks();
  });

  test("endpoint workflows get the context too", async () => {
    const source =
      "export default async ({ customer, env }) => Response.json({ name: customer.name, frozen: Object.isFrozen(customer), env });";
    const result = await pool.run(invocation(source, { kind: "endpoint", context: CONTEXT }));
    expect(result.outcome).toBe("ok");
    expect(result.result).toBeUndefined();
    expect(JSON.parse(result.response?.body ?? "")).toEqual({ name: "Acme", frozen: true, env: { GREETING: "hello" } });
  });
});

describe("errors and limits", () => {
  test("a throw is an error with the flow's own line and column", async () => {
    const source = [
      "export default async ({ request, flow }) => {",
      "  const order = await request.json();",
      '  if (flow.attempt < 3) throw new Error("upstream not ready for order " + order.order);',
      "  return { ok: true };",
      "};",
    ].join("\n");
    const result = await flow(source);
    expect(result.outcome).toBe("error");
    expect(result.result).toBeUndefined();
    // Column 40: the "(" of Error(...), where QuickJS places the call.
    expect(result.error).toMatchObject({ name: "Error", message: "upstream not ready for order 42", line: 3, column: 40 });
    expect(result.error?.stack).toContain("workflow.js:3:40");
    await expectNextWorks();
  });

  test("a BigInt, a cycle, a function, a symbol: errors that say the result cannot be serialised", async () => {
    expect((await flow("export default async () => ({ total: 10n });")).error).toEqual({
      name: "TypeError",
      message: "the flow's result cannot be serialised as JSON: Do not know how to serialize a BigInt",
    });
    const cycle = await flow("export default async () => { const order: any = { id: 1 }; order.self = order; return { order }; };");
    expect(cycle).toMatchObject({
      outcome: "error",
      error: { name: "TypeError", message: "the flow's result cannot be serialised as JSON: circular reference" },
    });
    expect((await flow("export default async () => () => 1;")).error).toEqual({
      name: "TypeError",
      message: "the flow returned a function, which cannot be serialised as JSON",
    });
    expect((await flow('export default async () => Symbol("s");')).error?.message).toBe(
      "the flow returned a symbol, which cannot be serialised as JSON",
    );
    await expectNextWorks();
  });

  test("a toJSON (or getter) that throws is an error at the tenant's line", async () => {
    const source = [
      "export default async () => ({",
      "  order: {",
      "    toJSON() {",
      '      throw new RangeError("order incomplete");',
      "    },",
      "  },",
      "});",
    ].join("\n");
    const result = await flow(source);
    expect(result.outcome).toBe("error");
    expect(result.error).toMatchObject({
      name: "TypeError",
      message: "the flow's result cannot be serialised as JSON: order incomplete",
      line: 4,
    });
    const getter = await flow('export default async () => ({\n  get total() {\n    throw new Error("no total");\n  },\n});');
    expect(getter.error).toMatchObject({ message: "the flow's result cannot be serialised as JSON: no total", line: 3 });
    await expectNextWorks();
  });

  test("a Response returned by a flow is refused: a flow returns data", async () => {
    const result = await flow("export default async () => Response.json({ ok: true });");
    expect(result).toMatchObject({
      outcome: "error",
      error: { name: "TypeError", message: "a flow returns data, not a Response: return the value itself" },
    });
    expect(result.response).toBeUndefined();
    // Only the returned value itself is looked at; inside data, a Response is an object like any other.
    expect((await flow('export default async () => ({ r: new Response("x") });')).result).toBe('{"r":{}}');
  });

  test("a result larger than responseBytes is an error naming the limit (characters in the sandbox, UTF-8 bytes in the thread)", async () => {
    const limits = { responseBytes: 1024 };
    const ascii = await flow('export default async () => ({ text: "x".repeat(2000) });', { limits });
    expect(ascii).toMatchObject({
      outcome: "error",
      error: { name: "TypeError", message: "the flow's result is larger than the limit of 1024 bytes of JSON (responseBytes)" },
    });
    // 600 characters of JSON, 1,200 bytes of UTF-8: passes the sandbox's count, stopped by the thread's.
    const wide = await flow('export default async () => "\\u00e9".repeat(598);', { limits });
    expect(wide.error?.message).toBe("the flow's result is larger than the limit of 1024 bytes of JSON (responseBytes)");
    const fits = await flow('export default async () => "x".repeat(1022);', { limits });
    expect(fits.outcome).toBe("ok");
    expect(fits.result).toHaveLength(1024);
    await expectNextWorks();
  });

  test("cpu_limit, timeout and memory_limit end a flow as they end an endpoint workflow", async () => {
    expect((await flow("export default async () => { for (;;) {} };")).outcome).toBe("cpu_limit");
    await expectNextWorks();
    expect((await flow("export default async () => { await new Promise(() => {}); };")).outcome).toBe("timeout");
    await expectNextWorks();
    expect((await flow('export default async () => { let s = "x"; for (;;) s += s; };')).outcome).toBe("memory_limit");
    await expectNextWorks();
    // A toJSON that loops is the tenant's own code, under the same budget.
    expect((await flow("export default async () => ({ toJSON() { for (;;) {} } });")).outcome).toBe("cpu_limit");
    await expectNextWorks();
  });

  test("utils.publish, utils.fetch and console work as in endpoint workflows", async () => {
    const host = recordingHost();
    const source = [
      "export default async ({ utils, customer }) => {",
      '  const event = await utils.publish({ event_type: "order.synced", data: { customer: customer.id } });',
      '  const fetched = await utils.fetch("https://api.example.test/orders");',
      '  console.warn("fetched", fetched.status);',
      "  return { event: event.id, body: await fetched.text() };",
      "};",
    ].join("\n");
    const result = await flow(source, { host });
    expect(resultOf(result)).toEqual({ event: "evt_1", body: "fetched GET https://api.example.test/orders" });
    expect(result.publishedEventIds).toEqual(["evt_1"]);
    expect(host.published).toEqual([{ event_type: "order.synced", data: { customer: "cus_1" } }]);
    expect(result.logs).toEqual([expect.objectContaining({ level: "warn", message: "fetched 200" })]);
  });
});

describe("a tenant that tampers with serialisation", () => {
  test("a replaced JSON.stringify is never called: the host gets the real JSON", async () => {
    const source = [
      "export default async () => {",
      "  let called = 0;",
      '  JSON.stringify = () => { called++; return "{not json"; };',
      "  return { id: 7, list: [1, 2], calledBefore: called };",
      "};",
    ].join("\n");
    expect((await flow(source)).result).toBe('{"id":7,"list":[1,2],"calledBefore":0}');
    // Replaced with something that returns a non-string, or loops: the same.
    expect((await flow("export default async () => { (JSON as any).stringify = () => ({ evil: 1 }); return [1]; };")).result).toBe("[1]");
    expect((await flow("export default async () => { JSON.stringify = () => { for (;;) {} }; return 'x'; };")).result).toBe('"x"');
    await expectNextWorks();
  });

  test("toJSON on Object.prototype or Array.prototype runs as JSON.stringify says, and its output is serialised by the real JSON.stringify", async () => {
    // The tenant chose what its values turn into; what leaves is still JSON within the limits.
    const objects = await flow(
      'export default async () => { (Object.prototype as any).toJSON = function () { return "fake"; }; return { a: 1 }; };',
    );
    expect(objects.result).toBe('"fake"');
    const arrays = await flow(
      'export default async () => { (Array.prototype as any).toJSON = function () { return { forged: "}{" }; }; return { list: [1, 2] }; };',
    );
    expect(resultOf(arrays)).toEqual({ list: { forged: "}{" } });
    await expectNextWorks();
  });

  test("a toJSON that returns what JSON cannot hold, or too much, is an error, never bad JSON", async () => {
    const bigint = await flow("export default async () => { (Object.prototype as any).toJSON = () => 1n; return {}; };");
    expect(bigint.error?.message).toBe("the flow's result cannot be serialised as JSON: Do not know how to serialize a BigInt");
    const cycle = await flow(
      "export default async () => { const loop: any = []; loop.push(loop); (Array.prototype as any).toJSON = function () { return loop; }; return [1]; };",
    );
    expect(cycle.outcome).toBe("error");
    expect(cycle.result).toBeUndefined();
    expect(
      (await flow("export default async () => { (Object.prototype as any).toJSON = () => undefined; return {}; };")).error?.message,
    ).toBe("the flow returned an object, which cannot be serialised as JSON");
    const large = await flow('export default async () => { (Object.prototype as any).toJSON = () => "x".repeat(5000); return {}; };', {
      limits: { responseBytes: 1024 },
    });
    expect(large.error?.message).toBe("the flow's result is larger than the limit of 1024 bytes of JSON (responseBytes)");
    await expectNextWorks();
  });

  test("replaced Object.keys, Array.prototype methods and a Proxy result change nothing the host relies on", async () => {
    const source = [
      "export default async () => {",
      "  Object.keys = () => [];",
      "  (Array.prototype as any).map = () => [];",
      "  (Array.prototype as any).push = () => 0;",
      "  const target = { a: 1, b: [2] };",
      "  return new Proxy(target, { get: (t, key) => (key === 'a' ? 'proxied' : (t as any)[key]) });",
      "};",
    ].join("\n");
    expect(resultOf(await flow(source))).toEqual({ a: "proxied", b: [2] });
    await expectNextWorks();
  });
});

describe("warm contexts", () => {
  /** Counts its calls in module state, and keeps the first call's argument to compare with later ones. */
  const COUNTER = compiled(
    [
      "let calls = 0;",
      "let first: any = null;",
      "export default async (argument) => {",
      "  calls++;",
      "  first ??= argument;",
      "  let oldUtils = 'usable';",
      "  if (first !== argument) {",
      "    try { first.utils.log('late'); } catch (e) { oldUtils = e.message; }",
      "  }",
      "  return {",
      "    calls,",
      "    flow: argument.flow,",
      "    customer: argument.customer,",
      "    firstFlow: first.flow,",
      "    sameArgument: first === argument,",
      "    sameFlowObject: first.flow === argument.flow,",
      "    oldUtils,",
      "  };",
      "};",
    ].join("\n"),
  );
  const call = (codeKey: string, context: Record<string, unknown>) =>
    pool.run({ tenantId: "t-warm-flows", codeKey, js: COUNTER, request: request(), env: {}, host: recordingHost(), kind: "flow", context });

  test("a flow is kept warm for its tenant and codeKey, and gets a fresh flow and customer every call", async () => {
    const one = { customer: { id: "cus_1", external_id: "a", name: "A" }, flow: { name: "sync", attempt: 1, execution_id: "exe_1" } };
    const two = { customer: { id: "cus_2", external_id: "b", name: "B" }, flow: { name: "sync", attempt: 2, execution_id: "exe_2" } };
    expect(resultOf(await call("flow-v1", one))).toEqual({
      calls: 1,
      flow: one.flow,
      customer: one.customer,
      firstFlow: one.flow,
      sameArgument: true,
      sameFlowObject: true,
      oldUtils: "usable",
    });
    expect(resultOf(await call("flow-v1", two))).toEqual({
      calls: 2, // the same context: module state persisted
      flow: two.flow,
      customer: two.customer,
      firstFlow: one.flow, // what the first call was given is still what it was, frozen
      sameArgument: false,
      sameFlowObject: false,
      oldUtils: "utils.log: this utils object belongs to an invocation that has ended",
    });
    expect(resultOf(await call("flow-v1", { flow: two.flow }))).toEqual({
      calls: 3,
      flow: two.flow, // no customer this time: none is left over from the calls before
      firstFlow: one.flow,
      sameArgument: false,
      sameFlowObject: false,
      oldUtils: "utils.log: this utils object belongs to an invocation that has ended",
    });
    // Another codeKey (another flow version or instance) has its own context.
    expect(resultOf(await call("flow-v2", one))).toMatchObject({ calls: 1, sameArgument: true });
  });

  test("a flow's context is not kept after an error; the next call starts the module anew", async () => {
    const js = compiled(
      "let calls = 0;\nexport default async ({ flow }) => { calls++; if (flow.attempt === 1) throw new Error('first attempt fails'); return { calls, attempt: flow.attempt }; };",
    );
    const run = (attempt: number) =>
      pool.run({
        tenantId: "t-warm-flows",
        codeKey: "retrying",
        js,
        request: request(),
        env: {},
        host: recordingHost(),
        kind: "flow",
        context: { flow: { name: "retrying", attempt, execution_id: "exe_9" } },
      });
    expect((await run(1)).outcome).toBe("error");
    expect(resultOf(await run(2))).toEqual({ calls: 1, attempt: 2 });
    expect(resultOf(await run(3))).toEqual({ calls: 2, attempt: 3 });
  });

  test("the same code run as an endpoint workflow and as a flow in one warm context answers each as asked", async () => {
    const js = compiled(
      'let calls = 0;\nexport default async ({ flow }) => { calls++; return flow === undefined ? new Response("endpoint " + calls) : { calls }; };',
    );
    const base = { tenantId: "t-warm-flows", codeKey: "both", js, request: request(), env: {}, host: recordingHost() };
    expect((await pool.run(base)).response?.body).toBe("endpoint 1");
    expect((await pool.run({ ...base, kind: "flow", context: CONTEXT })).result).toBe('{"calls":2}');
    expect((await pool.run(base)).response?.body).toBe("endpoint 3");
  });
});

describe("validateFlowResult, the thread's last check", () => {
  test("undefined is null; JSON within the limit passes; anything else is refused", () => {
    expect(validateFlowResult({ kind: "undefined", json: "" }, 10)).toEqual({ ok: true, result: null });
    expect(validateFlowResult({ kind: "json", json: '{"a":1}' }, 10)).toEqual({ ok: true, result: '{"a":1}' });
    expect(validateFlowResult({ kind: "json", json: "{not json" }, 100)).toEqual({
      ok: false,
      message: "the flow's result is not valid JSON",
    });
    expect(validateFlowResult({ kind: "json", json: '"\u00e9\u00e9\u00e9\u00e9\u00e9"' }, 10)).toEqual({
      ok: false,
      message: "the flow's result is larger than the limit of 10 bytes of JSON (responseBytes)",
    });
    expect(validateFlowResult({ kind: "json", json: 5 }, 10)).toEqual({ ok: false, message: "the flow's result could not be read" });
    expect(validateFlowResult({ kind: "response", json: undefined }, 10)).toEqual({
      ok: false,
      message: "the flow's result could not be read",
    });
  });
});
