/**
 * The entry of a sandbox thread. It owns one QuickJS WebAssembly module (with a bounded memory)
 * and runs one invocation at a time, each in a fresh runtime and context; host calls go to the
 * main thread as messages. The pool never sends a second job before the first one answered.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkModule } from "./check.js";
import { Engine } from "./engine.js";
import { runInvocation } from "./invocation.js";
import { disposePrepared, prepareContext, type PreparedContext } from "./prepared-context.js";
import type { FromThread, HostCallReply, ToThread } from "./protocol.js";
import type { ThreadData } from "./thread-data.js";
import { DEFAULT_SANDBOX_LIMITS } from "./limits.js";

const port = parentPort;
if (port === null) throw new Error("thread.ts is the entry of a worker thread");

const data = workerData as ThreadData;
const engine = new Engine(data.memoryBytes);
const waiting = new Map<string, (reply: HostCallReply) => void>();
let nextCallId = 1;
/** The context the next invocation will take, prepared while the thread was idle. */
let prepared: PreparedContext | undefined;

/** A prepared context of the current module: the one made while idle, or a new one now. */
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

/** Drops the module, and the context prepared in it. */
function discardModule(): void {
  prepared = undefined;
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
      const { id } = message;
      const context = await takeContext();
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
      );
      for (const key of [...waiting.keys()]) if (key.startsWith(`${id}:`)) waiting.delete(key);
      // A full memory stays full (WebAssembly memory never shrinks): start the next invocation on a fresh one.
      let internalError = output.internalError;
      if (output.poisoned || engine.nearMemoryCap()) discardModule();
      else {
        try {
          disposePrepared(context);
        } catch (error) {
          discardModule();
          internalError ??= `disposing the runtime failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      send(
        internalError === undefined
          ? { type: "result", id, result: output.result }
          : { type: "result", id, result: output.result, internalError },
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
  },
  () => Promise.resolve({ ok: false, error: { message: "no host calls while warming up", code: "internal" } }),
  () => engine.nearMemoryCap(),
);
if (warmUp.result.outcome !== "ok") throw new Error(`the sandbox thread could not run a workflow: ${JSON.stringify(warmUp.result.error)}`);
disposePrepared(warmUpContext);
prepared = prepareContext(await engine.module());
send({ type: "ready" });
