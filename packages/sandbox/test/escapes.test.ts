import { DEFAULT_SANDBOX_LIMITS, SandboxPool, type Invocation } from "../src/index.js";
import { invocation, recordingHost } from "./helpers.js";

let pool: SandboxPool;
beforeAll(() => {
  pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS });
});
afterAll(() => pool.close());

const run = (source: string, overrides: Partial<Invocation> = {}) => pool.run(invocation(source, overrides));
/** compileWorkflow refuses imports; these tests hand QuickJS such code directly, as if that check were bypassed. */
const runRaw = (js: string) => pool.run({ ...invocation('export default async () => new Response("x");'), js });

test("the Function constructor reaches only the sandbox's own global, which has no process", async () => {
  const source = [
    "export default async function () {",
    "  const found = {",
    "    viaThis: typeof this,",
    '    viaConstructor: ({}).constructor.constructor("return typeof process")(),',
    "    globalThisProcess: typeof (globalThis as any).process,",
    '    viaFunctionGlobal: typeof Function("return this")().process,',
    "    require: typeof (globalThis as any).require,",
    "    module: typeof (globalThis as any).module,",
    "    setTimeout: typeof (globalThis as any).setTimeout,",
    "    fetch: typeof (globalThis as any).fetch,",
    "    print: typeof (globalThis as any).print,",
    "    std: typeof (globalThis as any).std,",
    "  };",
    "  return Response.json(found);",
    "}",
  ].join("\n");
  const result = await run(source);
  expect(result.outcome).toBe("ok");
  expect(JSON.parse(result.response?.body ?? "")).toEqual({
    viaThis: "undefined",
    viaConstructor: "undefined",
    globalThisProcess: "undefined",
    viaFunctionGlobal: "undefined",
    require: "undefined",
    module: "undefined",
    setTimeout: "undefined",
    fetch: "undefined",
    print: "undefined",
    std: "undefined",
  });
});

test("the sandbox's global object has the ECMAScript built-ins and Hookline's globals, nothing else", async () => {
  const result = await run("export default async () => Response.json(Object.getOwnPropertyNames(globalThis).sort());");
  const names = JSON.parse(result.response?.body ?? "[]") as string[];
  const hookline = ["Headers", "Response", "TextDecoder", "TextEncoder", "URL", "URLSearchParams", "atob", "btoa", "console", "crypto"];
  const ecmascript = new Set([
    ...["AggregateError", "Array", "ArrayBuffer", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "Error"],
    ...["EvalError", "FinalizationRegistry", "Float16Array", "Float32Array", "Float64Array", "Function", "Infinity", "Int16Array"],
    ...["Int32Array", "Int8Array", "InternalError", "Iterator", "JSON", "Map", "Math", "NaN", "Number", "Object", "Promise", "Proxy"],
    ...["RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol", "SyntaxError", "TypeError"],
    ...["URIError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "WeakMap", "WeakRef", "WeakSet", "decodeURI"],
    ...["decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis", "isFinite", "isNaN", "parseFloat"],
    ...["parseInt", "undefined", "unescape"],
  ]);
  expect(names.filter((name) => !ecmascript.has(name))).toEqual(hookline);
});

test('this.constructor.constructor("return process")() fails inside the sandbox', async () => {
  const atTop = await runRaw(
    'const p = this.constructor.constructor("return process")();\nexport default async () => new Response(String(p));',
  );
  expect(atTop).toMatchObject({ outcome: "error", error: { name: "TypeError" } });
  const inside = await run('export default async () => new Response(String(({}).constructor.constructor("return process")()));');
  expect(inside).toMatchObject({ outcome: "error", error: { name: "ReferenceError", message: "'process' is not defined" } });
});

test("require, import() and static imports fail inside the sandbox", async () => {
  expect(await run('export default async () => new Response(require("fs"));')).toMatchObject({
    outcome: "error",
    error: { name: "ReferenceError" },
  });
  const dynamic = await runRaw('export default async () => { const fs = await import("fs"); return new Response(String(fs)); };');
  expect(dynamic).toMatchObject({ outcome: "error", error: { message: "imports are not available in workflows" } });
  const staticImport = await runRaw(
    'import { readFileSync } from "fs";\nexport default async () => new Response(readFileSync("/etc/passwd", "utf8"));',
  );
  expect(staticImport).toMatchObject({ outcome: "error", error: { message: "imports are not available in workflows" } });
});

test("Error.prepareStackTrace set inside the sandbox changes nothing outside it", async () => {
  const source = [
    "export default async () => {",
    "  (Error as any).prepareStackTrace = () => { while (true) {} };",
    "  (Error as any).captureStackTrace = () => { while (true) {} };",
    '  throw new Error("with a trap set");',
    "};",
  ].join("\n");
  const result = await run(source);
  expect(result).toMatchObject({ outcome: "error", error: { message: "with a trap set", line: 4 } });
  const hostStack = new Error("host").stack ?? "";
  expect(hostStack.split("\n")[0]).toBe("Error: host");
  expect(hostStack).toContain("escapes.test.ts");
  expect((Error as { prepareStackTrace?: unknown }).prepareStackTrace).toBeUndefined();
});

test("prototype pollution: the host is untouched; it persists only in the same tenant's same code, where the prelude still answers right", async () => {
  const polluter = [
    "export default async () => {",
    '  const before = ({} as any).polluted ?? "clean";',
    '  (Object.prototype as any).polluted = "yes";',
    '  Object.defineProperty(Object.prototype, "status", { get() { return 999; }, configurable: true });',
    '  Array.prototype.push = () => { throw new Error("push is gone"); };',
    '  (Array.prototype as any)[Symbol.iterator] = function* () { yield "forged"; };',
    '  JSON.stringify = () => "forged";',
    "  JSON.parse = () => ({ forged: true });",
    '  Response.prototype.text = async () => "forged";',
    '  Object.defineProperty(Response.prototype, "status", { get() { while (true) {} } });',
    '  Object.defineProperty(Headers.prototype, "get", { value: () => "forged" });',
    '  const response = new Response("real body", { status: 201, headers: { "x-real": "1", "x-before": before } });',
    "  return response;",
    "};",
  ].join("\n");
  const checker = [
    "export default async () => Response.json({",
    "  polluted: ({} as any).polluted === undefined,",
    "  status: ({} as any).status === undefined,",
    "  stringify: JSON.stringify({ a: [1] }) === '{\"a\":[1]}',",
    "  push: [1].push(2) === 2,",
    "  spread: [...[1, 2]].length === 2,",
    '  text: await new Response("t").text() === "t",',
    '  headers: new Headers({ a: "b" }).get("a") === "b",',
    "});",
  ].join("\n");
  const clean = { polluted: true, status: true, stringify: true, push: true, spread: true, text: true, headers: true };
  const answered = (before: string) => ({
    status: 201,
    headers: [
      ["x-real", "1"],
      ["x-before", before],
      ["content-type", "text/plain;charset=UTF-8"],
    ],
    body: "real body",
    bodyEncoding: "utf8",
  });
  // One thread: every invocation here runs on the thread the polluter ran on.
  const local = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
  try {
    const polluterA = { tenantId: "tenant-polluter", codeKey: "polluter-v1" };
    const first = await local.run(invocation(polluter, polluterA));
    expect(first.outcome).toBe("ok");
    expect(first.response).toEqual(answered("clean"));
    // The host's own built-ins are untouched.
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
    expect([1, 2].push(3)).toBe(3);

    // The same tenant and code again: its warm context keeps the pollution, and the prelude's own paths
    // (request, extraction of the Response) still answer what the workflow really returned.
    const second = await local.run(invocation(polluter, polluterA));
    expect(second.outcome).toBe("ok");
    expect(second.response).toEqual(answered("yes"));

    // Other code of the same tenant, then another tenant, on the same thread: a clean realm each time.
    const otherCode = await local.run(invocation(checker, { tenantId: "tenant-polluter", codeKey: "checker-v1" }));
    expect(JSON.parse(otherCode.response?.body ?? "")).toEqual(clean);
    const otherTenant = await local.run(invocation(checker, { tenantId: "tenant-other", codeKey: "polluter-v1" }));
    expect(JSON.parse(otherTenant.response?.body ?? "")).toEqual(clean);
  } finally {
    await local.close();
  }
});

test("a Proxy returned as the Response is not a Response; the traps run only inside the sandbox, under its budget", async () => {
  // Resolving the workflow's promise reads `then` (the tenant's own code, in the sandbox): answer it.
  const source = [
    "export default async () => new Proxy(new Response('x'), {",
    "  get(target, key) { if (key === 'then') return undefined; while (true) {} },",
    "  getPrototypeOf() { while (true) {} },",
    "  has() { while (true) {} },",
    "  ownKeys() { while (true) {} },",
    "  getOwnPropertyDescriptor() { while (true) {} },",
    "});",
  ].join("\n");
  expect(await run(source)).toMatchObject({ outcome: "error", error: { message: "the workflow returned an object, not a Response" } });
  const trapsEverything = "export default async () => new Proxy({}, { get() { while (true) {} } });";
  expect((await run(trapsEverything)).outcome).toBe("cpu_limit");
});

test("a getter that loops forever on the returned object: ignored on a Response, stopped at the CPU limit on a thenable", async () => {
  const onResponse =
    "export default async () => { const r = new Response('fine'); Object.defineProperty(r, 'status', { get() { while (true) {} } }); Object.defineProperty(r, 'headers', { get() { while (true) {} } }); return r; };";
  expect(await run(onResponse)).toMatchObject({ outcome: "ok", response: { status: 200, body: "fine" } });
  const thenable = "export default async () => ({ get then() { while (true) {} } });";
  expect((await run(thenable)).outcome).toBe("cpu_limit");
  const loopingError =
    "export default async () => { const e = new Error('x'); Object.defineProperty(e, 'message', { get() { while (true) {} } }); throw e; };";
  expect((await run(loopingError)).outcome).toBe("cpu_limit");
});

test("huge strings: a huge body is refused by size, a huge log line is cut, a huge thrown message is cut", async () => {
  // QuickJS's repeat() of a 6 MiB string takes longer than the default 50 ms of CPU on this machine.
  const body = await run('export default async () => new Response("x".repeat(6 * 1024 * 1024));', { limits: { cpuMs: 5000 } });
  expect(body).toMatchObject({
    outcome: "error",
    error: { message: "the response body is larger than the limit of 5242880 bytes (responseBytes)" },
  });
  const log = await run('export default async () => { console.log("y".repeat(10 * 1024 * 1024)); return new Response("ok"); };', {
    limits: { cpuMs: 5000 },
  });
  expect(log.outcome).toBe("ok");
  expect(log.logsTruncated).toBe(true);
  expect(log.logs[0]?.message.length).toBeLessThanOrEqual(64 * 1024);
  const thrown = await run('export default async () => { throw new Error("z".repeat(1024 * 1024)); };', { limits: { cpuMs: 5000 } });
  expect(thrown.outcome).toBe("error");
  expect(thrown.error?.message.length).toBeLessThanOrEqual(4096);
});

test("response headers that HTTP does not allow are refused, framing headers are dropped", async () => {
  const framing = await run(
    "export default async () => new Response('x', { headers: { 'content-length': '999', 'transfer-encoding': 'chunked', connection: 'close', 'x-ok': 'yes' } });",
  );
  expect(framing.response?.headers).toEqual([
    ["x-ok", "yes"],
    ["content-type", "text/plain;charset=UTF-8"],
  ]);
  const injected = await run("export default async () => new Response('x', { headers: { 'x-a': 'b\\r\\nset-cookie: stolen=1' } });");
  expect(injected).toMatchObject({ outcome: "error", error: { name: "TypeError" } });
  const status = await run("export default async () => new Response('x', { status: 700 });");
  expect(status).toMatchObject({ outcome: "error", error: { name: "RangeError" } });
});

test("host calls see only plain data: what a HostCalls implementation receives is JSON, not sandbox objects", async () => {
  const host = recordingHost();
  const source = [
    "export default async ({ utils }) => {",
    "  const data: any = { nested: { list: [1, 'two'] }, when: new Date(0) };",
    "  data.toJSON = undefined;",
    '  await utils.publish({ event_type: "thing.happened", data, object_id: "o-1" });',
    '  return new Response("ok");',
    "};",
  ].join("\n");
  const result = await run(source, { host });
  expect(result.outcome).toBe("ok");
  expect(host.published).toEqual([
    { event_type: "thing.happened", data: { nested: { list: [1, "two"] }, when: "1970-01-01T00:00:00.000Z" }, object_id: "o-1" },
  ]);
  expect(Object.prototype.toString.call(host.published[0]?.data)).toBe("[object Object]");
});
