// Measures the sandbox on this machine: where one hello-world invocation's time goes, what the
// alternatives to a fresh runtime and context per invocation would save, and invocations per
// second through the pool with 1 and 2 threads. Runs the built package: `npm run build` first,
// then `node bench/throughput.mjs` in packages/sandbox. Prints one JSON document.
import { compileWorkflow, DEFAULT_SANDBOX_LIMITS, SandboxPool } from "../dist/index.js";
import { Engine } from "../dist/engine.js";
import { runInvocation } from "../dist/invocation.js";
import { disposePrepared, prepareContext } from "../dist/prepared-context.js";
import { PRELUDE_FILE, PRELUDE_SOURCE } from "../dist/prelude/index.js";
import { createHostObject } from "../dist/host-functions.js";

const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const HELLO = compileWorkflow(`const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  return new Response("hello world");
};
export default workflow;
`);
if (!HELLO.ok) throw new Error("hello world did not compile");
const request = {
  method: "POST",
  url: "https://h.test/in/a?x=1",
  path: "/in/a",
  params: { id: "a" },
  query: { x: "1" },
  headers: [["content-type", "application/json"]],
  body: '{"a":1}',
};
const host = {
  publish: async () => ({ id: "e", event_type: "x", deliveries: 0 }),
  fetch: async () => ({ status: 200, headers: [], body: "" }),
};
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const out = {};

// 1. The phases of one invocation, in this thread (no worker, no messages).
{
  const engine = new Engine(DEFAULT_SANDBOX_LIMITS.memoryBytes);
  const module = await engine.module();
  const noHost = async () => ({ ok: false, error: { message: "none", code: "x" } });
  const input = { js: HELLO.js, request, env: { A: "1" }, limits: DEFAULT_SANDBOX_LIMITS };
  const runFresh = async () => {
    const context = prepareContext(module);
    const output = await runInvocation(context, input, noHost, () => false);
    const t = performance.now();
    disposePrepared(context);
    output.phases.disposeMs += performance.now() - t;
    return output;
  };
  for (let i = 0; i < 200; i++) await runFresh(); // warm up
  const sum = { setupMs: 0, preludeMs: 0, moduleMs: 0, callMs: 0, disposeMs: 0 };
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const { phases, result } = await runFresh();
    if (result.outcome !== "ok") throw new Error(JSON.stringify(result));
    for (const key of Object.keys(sum)) sum[key] += phases[key];
  }
  const total = (performance.now() - started) / ROUNDS;
  out.phasesMsPerInvocation = Object.fromEntries(Object.entries(sum).map(([key, value]) => [key, round(value / ROUNDS)]));
  out.phasesMsPerInvocation.totalMs = round(total);

  // 2. Alternatives, measured with the same module, hello world, no host calls.
  const time = (fn) => {
    for (let i = 0; i < 200; i++) fn();
    const t = performance.now();
    for (let i = 0; i < ROUNDS; i++) fn();
    return round((performance.now() - t) / ROUNDS);
  };
  const helloModule = 'export default async () => new Response("hello world");';
  const bareHello = 'export default async () => "hello world";';
  const evalModule = (ctx, code) => {
    const result = ctx.evalCode(code, "workflow.js", { type: "module" });
    if (result.error) throw new Error(JSON.stringify(ctx.dump(result.error)));
    return result.value;
  };
  const withPrelude = (ctx) => {
    const hostObject = createHostObject(ctx, { log: () => undefined, call: () => ctx.undefined });
    const fn = ctx.evalCode(PRELUDE_SOURCE, PRELUDE_FILE, { type: "global", strict: true }).unwrap();
    const internal = ctx.callFunction(fn, ctx.undefined, hostObject).unwrap();
    internal.dispose();
    fn.dispose();
    hostObject.dispose();
  };
  out.alternativesMsPerInvocation = {
    runtimeAndContextOnly: time(() => {
      const rt = module.newRuntime();
      const ctx = rt.newContext();
      ctx.dispose();
      rt.dispose();
    }),
    contextOnlyInAKeptRuntime: (() => {
      const rt = module.newRuntime();
      const ms = time(() => rt.newContext().dispose());
      rt.dispose();
      return ms;
    })(),
    freshRuntimeContextAndPrelude: time(() => {
      const rt = module.newRuntime();
      const ctx = rt.newContext();
      withPrelude(ctx);
      ctx.dispose();
      rt.dispose();
    }),
    keptRuntimeFreshContextAndPrelude: (() => {
      const rt = module.newRuntime();
      const ms = time(() => {
        const ctx = rt.newContext();
        withPrelude(ctx);
        ctx.dispose();
      });
      rt.dispose();
      return ms;
    })(),
    bareModuleNoPrelude: time(() => {
      const rt = module.newRuntime();
      const ctx = rt.newContext();
      evalModule(ctx, bareHello).dispose();
      ctx.dispose();
      rt.dispose();
    }),
    moduleEvaluationOnlyInAKeptContext: (() => {
      const rt = module.newRuntime();
      const ctx = rt.newContext();
      let n = 0;
      // A new file name each time: a module of the same name would be found in the context's registry.
      const ms = time(() => {
        const result = ctx.evalCode(helloModule, `workflow-${n++}.js`, { type: "module" });
        result.unwrap().dispose();
      });
      ctx.dispose();
      rt.dispose();
      return ms;
    })(),
  };
}

// 3. Through the pool, one invocation at a time (latency as a caller sees it, thread idle between calls).
{
  const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
  const invocation = { tenantId: "t", codeKey: "v1", js: HELLO.js, request, env: { A: "1" }, host };
  for (let i = 0; i < 50; i++) await pool.run(invocation);
  const samples = [];
  for (let i = 0; i < 500; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2)); // idle time, as between real requests
    const started = performance.now();
    const result = await pool.run(invocation);
    samples.push(performance.now() - started);
    if (result.outcome !== "ok") throw new Error(JSON.stringify(result));
  }
  samples.sort((a, b) => a - b);
  out.pool1ThreadOneAtATime = {
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    p50Ms: round(samples[250]),
    p99Ms: round(samples[495]),
  };
  await pool.close();
}

// 4. Through the pool: invocations per second with 1 and 2 threads, 32 in flight.
for (const threads of [1, 2]) {
  const pool = new SandboxPool({ threads, limits: DEFAULT_SANDBOX_LIMITS, maxPerTenant: threads, maxQueuedPerTenant: 10_000 });
  const invocation = (i) => ({ tenantId: `t${i % 4}`, codeKey: "v1", js: HELLO.js, request, env: { A: "1" }, host });
  await Promise.all(Array.from({ length: 50 * threads }, (_, i) => pool.run(invocation(i)))); // threads ready, warm
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < ROUNDS) {
      const result = await pool.run(invocation(next++));
      if (result.outcome !== "ok") failed++;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  out[`pool${threads}Thread${threads > 1 ? "s" : ""}`] = {
    invocationsPerSecond: Math.round(ROUNDS / seconds),
    meanLatencyMsAt32InFlight: round((seconds * 1000 * 32) / ROUNDS, 1),
    processCpuMsPerInvocation: round((cpu.user + cpu.system) / 1000 / ROUNDS),
    failed,
  };
  await pool.close();
}

process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, node: process.version, ...out }, null, 2)}\n`);
