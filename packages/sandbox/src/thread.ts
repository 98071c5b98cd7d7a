/**
 * The entry of a sandbox thread. It owns one QuickJS WebAssembly module (with a bounded memory)
 * and runs one invocation at a time, each in a fresh runtime and context; host calls go to the
 * main thread as messages. The pool never sends a second job before the first one answered.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkModule } from "./check.js";
import { Engine } from "./engine.js";
import { runInvocation } from "./invocation.js";
import type { FromThread, HostCallReply, ToThread } from "./protocol.js";
import type { ThreadData } from "./thread-data.js";

const port = parentPort;
if (port === null) throw new Error("thread.ts is the entry of a worker thread");

const data = workerData as ThreadData;
const engine = new Engine(data.memoryBytes);
const waiting = new Map<string, (reply: HostCallReply) => void>();
let nextCallId = 1;

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
        engine.discard();
        problems = [{ message: `the check failed: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 }];
      }
      send({ type: "check-result", id: message.id, problems });
      return;
    }
    case "run": {
      const module = await engine.module();
      const { id } = message;
      const output = await runInvocation(module, message, (request) => {
        const callId = nextCallId++;
        return new Promise<HostCallReply>((resolve) => {
          waiting.set(`${id}:${callId}`, resolve);
          send({ type: "host-call", id, callId, request });
        });
      });
      for (const key of [...waiting.keys()]) if (key.startsWith(`${id}:`)) waiting.delete(key);
      if (output.poisoned) engine.discard();
      send(output.internalError === undefined ? { type: "result", id, result: output.result } : { type: "result", id, result: output.result, internalError: output.internalError });
      return;
    }
  }
}

port.on("message", (message: ToThread) => {
  handle(message).catch((error: unknown) => {
    // A failure of the thread itself: let the pool see it as an error event and start a new thread.
    setImmediate(() => {
      throw error;
    });
  });
});

await engine.module();
send({ type: "ready" });
