// Measures the sandbox on this machine: where one hello-world invocation's time goes (in a fresh
// context and in a warm one), what the alternatives to a fresh runtime and context per invocation
// would save, and invocations per second through the pool with 1 and 2 threads. Runs the built
// package: `npm run build` first, then `node bench/throughput.mjs` in packages/sandbox. Prints one
// JSON document.
//
// SECTIONS (comma-separated, default all): phases, alternatives, flows, pool, affinity.
// SANDBOX_DIST: another build's dist directory for the pool sections (they use only the public API),
// e.g. the package as it was before warm contexts, to compare on the same machine.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const SECTIONS = new Set((process.env.SECTIONS ?? "phases,alternatives,flows,pool,affinity").split(","));
const distUrl = process.env.SANDBOX_DIST
  ? pathToFileURL(`${resolve(process.env.SANDBOX_DIST)}/`).href
  : new URL("../dist/", import.meta.url).href;
const { compileWorkflow, DEFAULT_SANDBOX_LIMITS, SandboxPool } = await import(`${distUrl}index.js`);

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
const out = { rounds: ROUNDS, node: process.version, dist: distUrl };

// 1. The phases of one invocation, in this thread (no worker, no messages): in a fresh context
// (prepared, run, disposed: the cold path) and in one context reused (the warm path).
if (SECTIONS.has("phases")) {
  const { Engine } = await import("../dist/engine.js");
  const { runInvocation } = await import("../dist/invocation.js");
  const { disposePrepared, prepareContext } = await import("../dist/prepared-context.js");
  const engine = new Engine(DEFAULT_SANDBOX_LIMITS.memoryBytes);
  const module = await engine.module();
  const noHost = async () => ({ ok: false, error: { message: "none", code: "x" } });
  const input = { js: HELLO.js, request, env: { A: "1" }, limits: DEFAULT_SANDBOX_LIMITS, kind: "endpoint", contextJson: null };
  const keys = ["setupMs", "preludeMs", "moduleMs", "callMs", "disposeMs"];
  const measure = async (next, done) => {
    const sum = Object.fromEntries(keys.map((key) => [key, 0]));
    let contextDisposeMs = 0;
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      const context = next();
      const { phases, result, reusable } = await runInvocation(context, input, noHost, () => false);
      if (result.outcome !== "ok" || !reusable) throw new Error(JSON.stringify(result));
      for (const key of keys) sum[key] += phases[key];
      const t = performance.now();
      done(context);
      contextDisposeMs += performance.now() - t;
    }
    const total = (performance.now() - started) / ROUNDS;
    return {
      ...Object.fromEntries(keys.map((key) => [key, round(sum[key] / ROUNDS)])),
      contextDisposeMs: round(contextDisposeMs / ROUNDS),
      totalMs: round(total),
    };
  };
  const fresh = () => prepareContext(module);
  for (let i = 0; i < 200; i++) {
    // warm up V8
    const context = fresh();
    await runInvocation(context, input, noHost, () => false);
    disposePrepared(context);
  }
  out.phasesMsPerInvocation = {
    cold: await measure(fresh, disposePrepared),
    warm: await (async () => {
      const context = prepareContext(module);
      const result = await measure(
        () => context,
        () => undefined,
      );
      disposePrepared(context);
      return result;
    })(),
  };
}

// 2. Alternatives, measured with the same module, hello world, no host calls.
if (SECTIONS.has("alternatives")) {
  const { Engine } = await import("../dist/engine.js");
  const { PRELUDE_FILE, PRELUDE_SOURCE } = await import("../dist/prelude/index.js");
  const { createHostObject } = await import("../dist/host-functions.js");
  const engine = new Engine(DEFAULT_SANDBOX_LIMITS.memoryBytes);
  const module = await engine.module();
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

// 3. Flows, in this thread on a warm context (the call only): the hello world as an endpoint workflow,
// a flow returning a small object with a flow's usual context, and flows returning N rows of four
// fields, to see what serialising a result costs (QuickJS's own JSON.stringify, inside the budget).
if (SECTIONS.has("flows")) {
  const { Engine } = await import("../dist/engine.js");
  const { runInvocation } = await import("../dist/invocation.js");
  const { disposePrepared, prepareContext } = await import("../dist/prepared-context.js");
  const engine = new Engine(DEFAULT_SANDBOX_LIMITS.memoryBytes);
  const module = await engine.module();
  const noHost = async () => ({ ok: false, error: { message: "none", code: "x" } });
  const limits = { ...DEFAULT_SANDBOX_LIMITS, cpuMs: 10_000 };
  const contextJson = JSON.stringify({
    customer: { id: "cus_1", external_id: "acme-42", name: "Acme" },
    flow: { name: "orders", attempt: 1, execution_id: "exe_1" },
  });
  const compile = (source) => {
    const compiled = compileWorkflow(source);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    return compiled.js;
  };
  const rows = (n) =>
    compile(
      `const rows = []; for (let i = 0; i < ${n}; i++) rows.push({ id: i, name: "item " + i, tags: ["a", "b"], price: i * 1.5 });\n` +
        "export default async () => rows;",
    );
  const cases = {
    endpointHello: { js: HELLO.js, kind: "endpoint", contextJson: null },
    flowSmallObject: {
      js: compile("export default async ({ customer, flow }) => ({ ok: true, items: 3, customer: customer.id, attempt: flow.attempt });"),
      kind: "flow",
      contextJson,
    },
    flowRows100: { js: rows(100), kind: "flow", contextJson },
    flowRows1000: { js: rows(1000), kind: "flow", contextJson },
    flowRows10000: { js: rows(10_000), kind: "flow", contextJson },
  };
  out.flowsWarmCallMs = {};
  for (const [name, { js, kind, contextJson: context }] of Object.entries(cases)) {
    const input = { js, request, env: { A: "1" }, limits, kind, contextJson: context };
    const context1 = prepareContext(module);
    const rounds = name === "flowRows10000" ? Math.max(10, ROUNDS / 100) : name === "flowRows1000" ? Math.max(50, ROUNDS / 10) : ROUNDS;
    let callMs = 0;
    let bytes = 0;
    for (let i = 0; i < rounds + 20; i++) {
      const { phases, result, reusable } = await runInvocation(context1, input, noHost, () => false);
      if (result.outcome !== "ok" || !reusable) throw new Error(JSON.stringify(result.error));
      if (i >= 20) callMs += phases.callMs; // the first calls evaluate the module and warm V8 up
      bytes = Buffer.byteLength(result.result ?? result.response.body);
    }
    disposePrepared(context1);
    out.flowsWarmCallMs[name] = { callMs: round(callMs / rounds), resultBytes: bytes, rounds };
  }
}

let codeVersion = 0;
/** The same code every call (warm after the first on each thread), or a new codeKey every call (always cold). */
const hello = (tenantId, path) => ({
  tenantId,
  codeKey: path === "warm" ? "v1" : `v-cold-${++codeVersion}`,
  js: HELLO.js,
  request,
  env: { A: "1" },
  host,
});

if (SECTIONS.has("pool")) {
  // 4. Through the pool, one invocation at a time (latency as a caller sees it, thread idle between calls).
  for (const path of ["warm", "cold"]) {
    const pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
    for (let i = 0; i < 50; i++) await pool.run(hello("t", path));
    const samples = [];
    for (let i = 0; i < 500; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2)); // idle time, as between real requests
      const started = performance.now();
      const result = await pool.run(hello("t", path));
      samples.push(performance.now() - started);
      if (result.outcome !== "ok") throw new Error(JSON.stringify(result));
    }
    samples.sort((a, b) => a - b);
    out[`pool1ThreadOneAtATime_${path}`] = {
      meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
      p50Ms: round(samples[250]),
      p99Ms: round(samples[495]),
    };
    await pool.close();
  }

  // 5. Through the pool: invocations per second with 1 and 2 threads, 32 in flight. warm: one tenant,
  // one codeKey; cold: one tenant, a new codeKey every call; fourTenants: four tenants taking turns,
  // one codeKey each (with one thread, every call switches tenant).
  const scenarios = {
    warm: () => hello("t", "warm"),
    cold: () => hello("t", "cold"),
    fourTenants: (i) => hello(`t${i % 4}`, "warm"),
  };
  for (const [name, invocation] of Object.entries(scenarios)) {
    for (const threads of [1, 2]) {
      const pool = new SandboxPool({ threads, limits: DEFAULT_SANDBOX_LIMITS, maxPerTenant: threads, maxQueuedPerTenant: 10_000 });
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
      out[`pool${threads}Thread${threads > 1 ? "s" : ""}_${name}`] = {
        invocationsPerSecond: Math.round(ROUNDS / seconds),
        meanLatencyMsAt32InFlight: round((seconds * 1000 * 32) / ROUNDS, 1),
        processCpuMsPerInvocation: round((cpu.user + cpu.system) / 1000 / ROUNDS),
        failed,
      };
      await pool.close();
    }
  }
}

// 6. Scheduling with affinity: two threads, two tenants taking turns, one call at a time (both threads
// free at every call). With preferWarmThreads each tenant keeps to the thread warm for it; without,
// every call goes to the first free thread and switches its tenant.
if (SECTIONS.has("affinity")) {
  for (const preferWarmThreads of [true, false]) {
    const pool = new SandboxPool({ threads: 2, limits: DEFAULT_SANDBOX_LIMITS, preferWarmThreads });
    await Promise.all([pool.run(hello("a", "warm")), pool.run(hello("b", "warm"))]);
    const samples = [];
    for (let i = 0; i < ROUNDS / 2; i++) {
      const started = performance.now();
      const result = await pool.run(hello(i % 2 === 0 ? "a" : "b", "warm"));
      samples.push(performance.now() - started);
      if (result.outcome !== "ok") throw new Error(JSON.stringify(result));
    }
    samples.sort((a, b) => a - b);
    out[`pool2ThreadsTwoTenantsTakingTurns_preferWarmThreads_${preferWarmThreads}`] = {
      meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
      p50Ms: round(samples[Math.floor(samples.length / 2)]),
    };
    await pool.close();
  }
}

process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
