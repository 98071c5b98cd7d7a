/**
 * The entry of a sandbox thread. It owns one QuickJS WebAssembly module (with a bounded memory)
 * and runs one invocation at a time: the first invocation of a tenant's code in a fresh runtime and
 * context, later ones of the same tenant and code in the context the last clean one left (a warm
 * context; see warm-contexts.ts for the rules). Host calls go to the main thread as messages. The
 * pool never sends a second job before the first one answered.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkModule } from "./check.js";
import { Engine } from "./engine.js";
import { runInvocation } from "./invocation.js";
import { disposePrepared, prepareContext, type PreparedContext } from "./prepared-context.js";
import type { FromThread, HostCallReply, ToThread } from "./protocol.js";
import type { ThreadData } from "./thread-data.js";
import { DEFAULT_SANDBOX_LIMITS } from "./limits.js";
import { WarmContexts } from "./warm-contexts.js";
import { lowerThisThreadsPriority, SANDBOX_THREAD_NICENESS } from "./thread-priority.js";
import { thisThreadId } from "./thread-clock.js";

const port = parentPort;
if (port === null) throw new Error("thread.ts is the entry of a worker thread");

const data = workerData as ThreadData;
/** Where the pool's watchdog finds the CPU clock at the current invocation's start (µs; -1: none). */
const cpuAtStart = new BigInt64Array(data.cpuAtStart);
lowerThisThreadsPriority(SANDBOX_THREAD_NICENESS);
const engine = new Engine(data.memoryBytes);
const waiting = new Map<string, (reply: HostCallReply) => void>();
let nextCallId = 1;
/** The fresh context the next cold invocation will take, prepared while the thread was idle. */
let prepared: PreparedContext | undefined;
/** Set when disposing a context failed: the module may be in a bad state, and is discarded. */
let disposeFailed: string | undefined;
/** True while an invocation runs (it may be waiting for host calls): the idle sweep leaves the cache alone then. */
let running = false;

/** Frees a context; a failure means the module may be broken, and it is discarded after the current step. */
function disposeContext(context: PreparedContext): void {
  try {
    disposePrepared(context);
  } catch (error) {
    disposeFailed ??= `disposing a context failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The failure recorded by disposeContext since the last look, cleared. */
function takeDisposeFailure(): string | undefined {
  const failure = disposeFailed;
  disposeFailed = undefined;
  return failure;
}

const warm = new WarmContexts(data.warm, disposeContext);

/** A fresh context of the current module: the one made while idle, or a new one now. */
async function takeContext(): Promise<PreparedContext> {
  const module = await engine.module();
  const context = prepared ?? prepareContext(module);
  prepared = undefined;
  return context;
}

/** Runs after an answer was sent: the next invocation then finds its context ready. */
function prepareNext(): void {
  setImmediate(() => {
    if (prepared !== undefined) return;
    engine
      .module()
      .then((module) => {
        prepared ??= prepareContext(module);
      })
      .catch(fail);
  });
}

/** Drops the module, and every context made in it (prepared or warm) with it. */
function discardModule(): void {
  prepared = undefined;
  warm.forget();
  engine.discard();
}

/** A failure of the thread itself: let the pool see it as an error event and start a new thread. */
function fail(error: unknown): void {
  setImmediate(() => {
    throw error;
  });
}

const send = (message: FromThread): void => port.postMessage(message);

async function handle(message: ToThread): Promise<void> {
  switch (message.type) {
    case "host-result": {
      const key = `${message.id}:${message.callId}`;
      const resolve = waiting.get(key);
      waiting.delete(key);
      resolve?.(message.reply);
      return;
    }
    case "check": {
      const module = await engine.module();
      let problems;
      try {
        problems = checkModule(module, message.js);
      } catch (error) {
        discardModule();
        problems = [{ message: `the check failed: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 }];
      }
      send({ type: "check-result", id: message.id, problems });
      return;
    }
    case "run": {
      const { id, tenantId, codeKey, js } = message;
      running = true;
      // Before anything of this tenant runs, every warm context of another tenant is disposed.
      let taken = warm.take(tenantId, codeKey, js, performance.now());
      const beforeFailure = takeDisposeFailure();
      if (beforeFailure !== undefined) {
        discardModule();
        taken = undefined; // it belonged to the discarded module
      }
      const context = taken?.context ?? (await takeContext());
      const output = await runInvocation(
        context,
        message,
        (request) => {
          const callId = nextCallId++;
          return new Promise<HostCallReply>((resolve) => {
            waiting.set(`${id}:${callId}`, resolve);
            send({ type: "host-call", id, callId, request });
          });
        },
        () => engine.nearMemoryCap(),
        (cpu) => {
          Atomics.store(cpuAtStart, 0, cpu === null ? -1n : BigInt(Math.round(cpu * 1000)));
        },
      );
      for (const key of [...waiting.keys()]) if (key.startsWith(`${id}:`)) waiting.delete(key);
      // A full memory stays full (WebAssembly memory never shrinks): start the next invocation on a fresh one.
      if (output.poisoned || engine.nearMemoryCap()) discardModule();
      else if (output.reusable) warm.keep(tenantId, codeKey, js, context, (taken?.uses ?? 0) + 1, performance.now());
      else {
        disposeContext(context);
        // What the tenant keeps warm counts against its own invocations' memory: after one ran out, let go of all of it.
        if (output.result.outcome === "memory_limit") warm.clear();
      }
      const afterFailure = takeDisposeFailure();
      if (afterFailure !== undefined) discardModule();
      const internalError = output.internalError ?? beforeFailure ?? afterFailure;
      running = false;
      send(
        internalError === undefined
          ? { type: "result", id, result: output.result, warm: warm.state }
          : { type: "result", id, result: output.result, warm: warm.state, internalError },
      );
      prepareNext();
      return;
    }
  }
}

port.on("message", (message: ToThread) => {
  handle(message).catch(fail);
});

/**
 * One hello-world invocation before the thread says it is ready: it proves the prelude evaluates,
 * and it lets V8 compile the WebAssembly and the glue, so that the first tenant's CPU budget is not
 * spent on the thread's own warm-up (the first run measured about 8 ms of "CPU" against 0.3 ms after).
 */
const WARM_UP = `export default async () => new Response("ok");`;
const warmUpContext = await takeContext();
const warmUp = await runInvocation(
  warmUpContext,
  {
    js: WARM_UP,
    request: { method: "GET", url: "http://localhost/", path: "/", params: {}, query: {}, headers: [], body: "" },
    env: {},
    limits: { ...DEFAULT_SANDBOX_LIMITS, memoryBytes: data.memoryBytes, cpuMs: 10_000, wallMs: 10_000 },
    kind: "endpoint",
    contextJson: null,
  },
  () => Promise.resolve({ ok: false, error: { message: "no host calls while warming up", code: "internal" } }),
  () => engine.nearMemoryCap(),
);
if (warmUp.result.outcome !== "ok") throw new Error(`the sandbox thread could not run a workflow: ${JSON.stringify(warmUp.result.error)}`);
disposeContext(warmUpContext);
const warmUpFailure = takeDisposeFailure();
if (warmUpFailure !== undefined) throw new Error(`the sandbox thread could not dispose a context: ${warmUpFailure}`);
prepared = prepareContext(await engine.module());

/** Warm contexts idle past idleMs are disposed even when no invocation comes to look; the pool hears of it. */
const sweepEveryMs = Math.min(30_000, Math.max(1000, Math.floor(data.warm.idleMs / 2)));
setInterval(() => {
  if (running || warm.size === 0) return;
  const changed = warm.sweep(performance.now());
  if (takeDisposeFailure() !== undefined) discardModule();
  if (changed) send({ type: "warm", warm: warm.state });
}, sweepEveryMs).unref();

send({ type: "ready", threadId: thisThreadId() });
