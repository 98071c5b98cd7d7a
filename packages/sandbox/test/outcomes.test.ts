import { DEFAULT_SANDBOX_LIMITS, SandboxPool, type InvocationResult, type SandboxLimits } from "../src/index.js";
import { MAX_STACK_BYTES } from "../src/limits.js";
import { invocation } from "./helpers.js";

// One thread: the invocation after each failure runs on the very thread that failed.
let pool: SandboxPool;
beforeAll(() => {
  pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
});
afterAll(() => pool.close());

const HELLO = 'export default async () => new Response("hello world");';

async function expectNextWorks(): Promise<void> {
  const next = await pool.run(invocation(HELLO));
  expect(next.outcome).toBe("ok");
  expect(next.response?.body).toBe("hello world");
}

async function run(source: string, limits?: Partial<SandboxLimits>): Promise<InvocationResult> {
  return pool.run(invocation(source, limits === undefined ? {} : { limits }));
}

// QuickJS places a call's position at its opening parenthesis: column 20 is the "(" of Error(...).
test("a throw is an error with the tenant's own line and column", async () => {
  const source = [
    "interface Payload { id: number }",
    "const workflow: EndpointWorkflow = async ({ request }) => {",
    "  const payload = (await request.json()) as Payload;",
    "  if (payload) {",
    '    throw new Error("no such order " + payload.order);',
    "  }",
    '  return new Response("unreachable");',
    "};",
    "export default workflow;",
  ].join("\n");
  const result = await run(source);
  expect(result.outcome).toBe("error");
  expect(result.error).toMatchObject({ name: "Error", message: "no such order 42", line: 5, column: 20 });
  expect(result.error?.stack).toContain("workflow.js:5:20");
  expect(result.error?.stack).not.toContain("prelude");
  await expectNextWorks();
});

test("a rejection and a thrown non-Error are errors too", async () => {
  const rejected = await run('export default () => Promise.reject(new TypeError("nope"));');
  expect(rejected).toMatchObject({ outcome: "error", error: { name: "TypeError", message: "nope" } });
  const thrown = await run('export default async () => { throw "a string"; };');
  expect(thrown).toMatchObject({ outcome: "error", error: { message: "a string" } });
  await expectNextWorks();
});

test("returning something that is not a Response is an error naming what it returned", async () => {
  expect((await run("export default async () => {};")).error?.message).toBe("the workflow returned undefined, not a Response");
  expect((await run('export default async () => "text";')).error?.message).toBe("the workflow returned a string, not a Response");
  expect((await run("export default async () => ({ status: 200, body: 'x' });")).error?.message).toBe(
    "the workflow returned an object, not a Response",
  );
  expect((await run("export default async () => null;")).outcome).toBe("error");
  expect((await run("export default 42;")).error?.message).toBe("the workflow's default export is a number, not a function");
  await expectNextWorks();
});

test("an endless loop is stopped at the CPU limit", async () => {
  const result = await run("export default async () => { while (true) {} };");
  expect(result.outcome).toBe("cpu_limit");
  expect(result.error?.name).toBe("CpuLimitError");
  await expectNextWorks();
});

test("an endless loop at the module's top level is stopped too", async () => {
  expect((await run('for (;;) {}\nexport default async () => new Response("x");')).outcome).toBe("cpu_limit");
  await expectNextWorks();
});

test("an endless chain of microtasks, even one that catches the interrupt, is stopped at the CPU limit", async () => {
  const chain = "export default async () => { const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {}); };";
  expect((await run(chain)).outcome).toBe("cpu_limit");
  const catching = [
    "const burn = async () => { while (true) {} };",
    "export default async () => {",
    "  for (;;) {",
    "    try { await burn(); } catch {}",
    "  }",
    "};",
  ].join("\n");
  expect((await run(catching)).outcome).toBe("cpu_limit");
  await expectNextWorks();
});

test("a promise that never settles is a timeout", async () => {
  const result = await run("export default async () => { await new Promise(() => {}); };");
  expect(result.outcome).toBe("timeout");
  await expectNextWorks();
});

test("memory bombs stop at the memory limit: a doubling string and a growing array", async () => {
  const doubling = await run('export default async () => { let s = "x"; while (true) s += s; };');
  expect(doubling.outcome).toBe("memory_limit");
  await expectNextWorks();
  // Growing by 1 MiB strings takes longer than the default 50 ms of CPU to fill 64 MiB.
  const growing = await run('export default async () => { const a = []; while (true) a.push("x".repeat(1 << 20) + a.length); };', {
    cpuMs: 10_000,
  });
  expect(growing.outcome).toBe("memory_limit");
  await expectNextWorks();
  const small = await run("export default async () => { const a = []; while (true) a.push({ n: a.length }); };", { cpuMs: 10_000 });
  expect(small.outcome).toBe("memory_limit");
  await expectNextWorks();
  const huge = await run('export default async () => new Response("x".repeat(2 ** 28));');
  expect(huge.outcome).toBe("memory_limit");
  await expectNextWorks();
});

test("a workflow that catches running out of memory may still answer", async () => {
  const source = [
    "export default async () => {",
    "  try {",
    "    const a = [];",
    '    while (true) a.push("x".repeat(1 << 20) + a.length);',
    "  } catch (error) {",
    '    return new Response("recovered");',
    "  }",
    "};",
  ].join("\n");
  const result = await run(source, { cpuMs: 10_000 });
  expect(result).toMatchObject({ outcome: "ok", response: { body: "recovered" } });
  await expectNextWorks();
});

test("deep recursion is an error (stack overflow), not a crash", async () => {
  const result = await run(
    "const down = (n: number): number => down(n + 1) + 1;\nexport default async () => new Response(String(down(0)));",
  );
  expect(result.outcome).toBe("error");
  expect(result.error).toMatchObject({ name: "InternalError", message: "stack overflow", line: 1 });
  expect(result.error?.stack?.split("\n").length).toBeLessThanOrEqual(31);
  await expectNextWorks();
  // The largest stack an invocation may ask for still ends in QuickJS's own check, not in the thread's.
  const deepest = await pool.run(
    invocation("const down = (n: number): number => down(n + 1) + 1;\nexport default async () => new Response(String(down(0)));", {
      limits: { stackBytes: MAX_STACK_BYTES, cpuMs: 5000 },
    }),
  );
  expect(deepest.error).toMatchObject({ name: "InternalError", message: "stack overflow" });
  await expectNextWorks();
});

test("a body larger than responseBytes is an error naming the limit", async () => {
  const result = await run('export default async () => new Response("x".repeat(2048));', { responseBytes: 1024 });
  expect(result.outcome).toBe("error");
  expect(result.error?.message).toBe("the response body is larger than the limit of 1024 bytes (responseBytes)");
  const bytes = await run("export default async () => new Response(new Uint8Array(2048));", { responseBytes: 1024 });
  expect(bytes.error?.message).toContain("responseBytes");
  await expectNextWorks();
});

test("a builtin loop that never polls the interrupt handler is stopped by the host-side watchdog", async () => {
  // Each sort runs to its end inside QuickJS without an interrupt check, and the loop polls the
  // handler only every 10,000 steps: only the pool's watchdog (cpuMs + grace) ends this.
  const source =
    "export default async () => { const a = new Float64Array(1 << 20); for (let i = 0; i < 1e6; i++) { a.reverse(); a.sort(); } };";
  const result = await run(source);
  expect(result.outcome).toBe("cpu_limit");
  await expectNextWorks();
});

test("the execution log keeps logBytes and marks the rest as dropped", async () => {
  const source =
    'export default async () => { for (let i = 0; i < 100; i++) console.log("line " + i + " " + "x".repeat(20)); return new Response("ok"); };';
  const result = await run(source, { logBytes: 200 });
  expect(result.outcome).toBe("ok");
  expect(result.logsTruncated).toBe(true);
  const kept = result.logs.slice(0, -1);
  expect(kept.reduce((size, line) => size + Buffer.byteLength(line.message), 0)).toBeLessThanOrEqual(200);
  expect(result.logs.at(-1)?.message).toContain("log truncated");
  await expectNextWorks();
});
