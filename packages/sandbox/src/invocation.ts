import { Scope, type QuickJSDeferredPromise, type QuickJSHandle } from "quickjs-emscripten-core";
import { Budget } from "./budget.js";
import type { HostCallKind } from "./host-functions.js";
import { parseHostCall } from "./host-call-input.js";
import { LogCollector } from "./logs.js";
import type { PreparedContext } from "./prepared-context.js";
import type { HostCallReply, HostCallRequest } from "./protocol.js";
import type { SandboxLimits } from "./limits.js";
import type { InvocationKind, InvocationResult, Outcome, WorkflowError, WorkflowRequest } from "./types.js";
import { validateFlowResult, validateResponse } from "./validate.js";
import { errorPosition, tenantStack, WORKFLOW_FILE } from "./stack.js";
import { thisThreadCpuClock } from "./thread-clock.js";

/** Jobs run per executePendingJobs call; the budget is checked between batches (a caught interrupt can queue more jobs). */
const JOB_BATCH = 64;

/**
 * QuickJS's own words for running out: "out of memory" when an allocation fails, "string too long"
 * when a string would pass its 2^30-character limit (string concatenation builds ropes, so
 * `s += s` reaches that limit before it uses much memory: it is a memory bomb all the same).
 */
const isOutOfMemory = (name: string, message: string): boolean =>
  name === "InternalError" && (message === "out of memory" || message === "string too long");

export interface RunInput {
  js: string;
  request: WorkflowRequest;
  env: Record<string, string>;
  limits: SandboxLimits;
  kind: InvocationKind;
  /** The JSON text of an object whose properties join request, env and utils in the argument; null for none. */
  contextJson: string | null;
}

/** How a thread reaches the main thread's HostCalls. */
export type HostCallPort = (request: HostCallRequest) => Promise<HostCallReply>;

/** Where the time of one invocation went (ms), for benchmarks; a phase not reached stays 0. */
export interface Phases {
  /** Runtime and context creation (when the context was prepared, usually before the invocation; 0 in a warm context). */
  setupMs: number;
  /** Host functions and the prelude's core (likewise). */
  preludeMs: number;
  /** Compiling and evaluating the workflow module (0 in a warm context). */
  moduleMs: number;
  /** Calling the workflow, running its jobs and host calls, reading the result. */
  callMs: number;
  /** Freeing the invocation's own handles (the context itself is disposed, or kept, by the thread). */
  disposeMs: number;
}

export interface RunOutput {
  phases: Phases;
  result: InvocationResult;
  /** The WebAssembly module may be in a bad state (an exception escaped QuickJS): the thread makes a new one. */
  poisoned: boolean;
  /**
   * The invocation ended cleanly: outcome ok, no job queued, no host call out, no limit hit, nothing
   * failed in the sandbox. Only then may its context serve the next invocation of the same tenant
   * and code; otherwise the thread disposes it.
   */
  reusable: boolean;
  internalError?: string;
}

/** Thrown inside the runner when the tenant's code must stop now, with this outcome. */
class Stop {
  constructor(
    readonly outcome: Outcome,
    readonly error: WorkflowError,
  ) {}
}

const now = (): number => performance.now();
/** This thread's CPU clock (each thread loads this module anew), or null where Linux's is not to be had. */
const cpuClock = thisThreadCpuClock();

const limitError = (outcome: Outcome, limits: SandboxLimits): WorkflowError => {
  switch (outcome) {
    case "cpu_limit":
      return { name: "CpuLimitError", message: `the workflow ran for more than ${limits.cpuMs} ms of CPU time (cpuMs)` };
    case "timeout":
      return { name: "TimeoutError", message: `the workflow did not answer within ${limits.wallMs} ms (wallMs)` };
    case "memory_limit":
      return { name: "MemoryLimitError", message: `the workflow used more than ${limits.memoryBytes} bytes of memory (memoryBytes)` };
    default:
      return { name: "Error", message: outcome };
  }
};

/**
 * Runs one invocation in a context: a fresh one (the prelude evaluated, no workflow yet: the module
 * is evaluated first), or a warm one in which an earlier invocation of the same tenant and code
 * ended cleanly. Everything of the invocation (request, env, utils, the log, the fetch count, the
 * published ids, the CPU budget, the deadline) is new; only the workflow's own realm carries over.
 * The context is not disposed here: the thread keeps it warm when `reusable`, or disposes it.
 */
export async function runInvocation(
  prepared: PreparedContext,
  input: RunInput,
  port: HostCallPort,
  memoryFull: () => boolean,
  /** Told the thread's CPU clock (ms) when the budget starts (null without a clock). */
  onBudgetStart?: (cpuAtStart: number | null) => void,
): Promise<RunOutput> {
  const { limits } = input;
  const startedAt = now();
  const budget = new Budget(limits.cpuMs, startedAt + limits.wallMs, now, cpuClock);
  onBudgetStart?.(budget.cpuAtStart);
  const logs = new LogCollector(limits.logBytes, startedAt, now);
  const publishedEventIds: string[] = [];
  const pending = new Map<number, QuickJSDeferredPromise>();
  const { runtime, vm, startFn, describeFn } = prepared;
  const scope = new Scope(); // this invocation's own handles, freed at its end whatever happens to the context
  const warm = prepared.workflowLoaded;
  let finished = false;
  let poisoned = false;
  let internalError: string | undefined;
  let fetches = 0;
  let nextCallId = 1;
  let wake: (() => void) | null = null;
  const phases: Phases = { setupMs: prepared.setupMs, preludeMs: prepared.preludeMs, moduleMs: 0, callMs: 0, disposeMs: 0 };
  prepared.setupMs = 0;
  prepared.preludeMs = 0;
  let called = false;
  let mark = now();
  const lap = (): number => {
    const at = now();
    const spent = at - mark;
    mark = at;
    return spent;
  };

  const finish = (outcome: Outcome, extra: Pick<InvocationResult, "response" | "result" | "error">): InvocationResult => ({
    outcome,
    ...extra,
    logs: logs.lines,
    logsTruncated: logs.truncated,
    publishedEventIds,
    durationMs: Math.round(now() - startedAt),
    cpuMs: Math.round(budget.spentMs * 100) / 100,
  });

  let result: InvocationResult;
  try {
    mark = now();
    // In this build QuickJS cannot ask malloc for block sizes, so its own accounting counts 8 bytes
    // per allocation: setMemoryLimit bounds the number of live allocations, not bytes. The hard cap
    // is the thread's WebAssembly memory (see engine.ts); this stays as a second, looser bound.
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    runtime.setInterruptHandler(budget.shouldInterrupt);

    prepared.session.current = {
      log: (level, message) => logs.add(level, message),
      call: (kind: HostCallKind, payload: string) => {
        const deferred = vm.newPromise();
        const callId = nextCallId++;
        // Refused before it left the thread: the promise is rejected at once. reject() also frees the
        // resolving functions; the promise handle itself goes to the caller.
        const reject = (error: { message: string; code: string }): QuickJSHandle => {
          const reason = vm.newString(JSON.stringify(error));
          deferred.reject(reason);
          reason.dispose();
          return deferred.handle;
        };
        if (kind === "fetch" && ++fetches > limits.fetchCount) {
          return reject({ message: `utils.fetch: at most ${limits.fetchCount} calls per invocation (fetchCount)`, code: "fetch_limit" });
        }
        const parsed = parseHostCall(kind, payload, limits, startedAt + limits.wallMs - now());
        if (!parsed.ok) return reject({ message: parsed.message, code: "invalid_input" });
        pending.set(callId, deferred);
        port(parsed.request).then(
          (reply) => settleHostCall(callId, reply),
          () => settleHostCall(callId, { ok: false, error: { message: "the host call failed", code: "internal" } }),
        );
        return deferred.handle;
      },
    };

    const settleHostCall = (callId: number, answer: HostCallReply): void => {
      const deferred = pending.get(callId);
      if (finished || deferred === undefined) return;
      pending.delete(callId);
      // A fetched body enters the sandbox's memory: hold it to the size a response may have.
      const reply: HostCallReply =
        answer.ok && answer.kind === "fetch" && Buffer.byteLength(answer.value.body, "utf8") > limits.responseBytes
          ? {
              ok: false,
              error: { message: `utils.fetch: the response body is larger than ${limits.responseBytes} bytes`, code: "response_too_large" },
            }
          : answer;
      try {
        budget.slice(() => {
          if (reply.ok) {
            if (reply.kind === "publish") publishedEventIds.push(reply.value.id);
            const value = vm.newString(JSON.stringify(reply.value));
            deferred.resolve(value);
            value.dispose();
          } else {
            const reason = vm.newString(JSON.stringify(reply.error));
            deferred.reject(reason);
            reason.dispose();
          }
        });
      } catch (error) {
        poisoned = true;
        internalError ??= `settling a host call failed: ${String(error)}`;
      } finally {
        deferred.dispose();
      }
      wake?.();
    };

    /** Reads the fields of a null-prototype record built by the prelude. */
    const field = (record: QuickJSHandle, key: string): string | number | Uint8Array | undefined => {
      const value = vm.getProp(record, key);
      try {
        const type = vm.typeof(value);
        if (type === "string") return vm.getString(value);
        if (type === "number") return vm.getNumber(value);
        if (type === "object") {
          const view = vm.getArrayBuffer(value);
          try {
            return new Uint8Array(view.value); // a copy out of the WebAssembly memory
          } finally {
            view.dispose();
          }
        }
        return undefined;
      } finally {
        value.dispose();
      }
    };

    /** Turns a thrown value into the tenant's error, or the limit that stopped it. */
    const describeThrown = (thrown: QuickJSHandle): Stop => {
      const stopped = budget.interrupted ?? budget.exceeded();
      if (stopped !== null)
        return new Stop(stopped === "cpu" ? "cpu_limit" : "timeout", limitError(stopped === "cpu" ? "cpu_limit" : "timeout", limits));
      const described = budget.slice(() => vm.callFunction(describeFn, vm.undefined, thrown));
      if (described.error) {
        described.error.dispose();
        const after = budget.interrupted ?? budget.exceeded();
        if (after !== null)
          return new Stop(after === "cpu" ? "cpu_limit" : "timeout", limitError(after === "cpu" ? "cpu_limit" : "timeout", limits));
        return new Stop("error", { name: "Error", message: "the workflow threw a value that could not be read" });
      }
      const record = described.value;
      try {
        const name = String(field(record, "name") ?? "Error");
        const message = String(field(record, "message") ?? "");
        const stack = String(field(record, "stack") ?? "");
        if (isOutOfMemory(name, message) || memoryFull()) return new Stop("memory_limit", limitError("memory_limit", limits));
        const error: WorkflowError = { name, message, ...errorPosition(stack) };
        const ownStack = tenantStack(stack);
        if (ownStack !== "") error.stack = ownStack;
        return new Stop("error", error);
      } finally {
        record.dispose();
      }
    };

    const readRecord = (record: QuickJSHandle): InvocationResult => {
      const kind = field(record, "kind");
      if (kind === "invalid") return finish("error", { error: { name: "TypeError", message: String(field(record, "message") ?? "") } });
      if (input.kind === "flow") {
        const checked = validateFlowResult({ kind, json: field(record, "json") }, limits.responseBytes);
        if (!checked.ok) return finish("error", { error: { name: "TypeError", message: checked.message } });
        return finish("ok", { result: checked.result });
      }
      if (kind !== "response") return finish("error", { error: { name: "TypeError", message: "the response could not be read" } });
      const validated = validateResponse(
        {
          status: field(record, "status"),
          headerText: field(record, "headerText"),
          bodyKind: field(record, "bodyKind"),
          body: ((): string | Uint8Array | undefined => {
            const body = field(record, "body");
            return typeof body === "number" ? undefined : body;
          })(),
        },
        limits.responseBytes,
      );
      if (!validated.ok) return finish("error", { error: { name: "TypeError", message: validated.message } });
      return finish("ok", { response: validated.response });
    };

    const checkBudget = (): void => {
      const stopped = budget.interrupted ?? budget.exceeded();
      if (stopped === "cpu") throw new Stop("cpu_limit", limitError("cpu_limit", limits));
      if (stopped === "wall") throw new Stop("timeout", limitError("timeout", limits));
    };

    const runJobs = (): void => {
      while (runtime.hasPendingJob()) {
        const ran = budget.slice(() => runtime.executePendingJobs(JOB_BATCH));
        // A job that fails outside a promise (an interrupt, memory exhaustion) reports it here.
        if (ran.error) {
          const stop = describeThrown(ran.error);
          ran.error.dispose();
          if (stop.outcome !== "error") throw stop;
        }
        checkBudget();
      }
    };

    try {
      let evaluatedKind = 0;
      let evaluatedHandle: QuickJSHandle = vm.undefined;
      if (!warm) {
        const evaluated = budget.slice(() => vm.evalCode(input.js, WORKFLOW_FILE, { type: "module" }));
        if (evaluated.error) {
          const stop = describeThrown(evaluated.error);
          evaluated.error.dispose();
          throw stop;
        }
        phases.moduleMs = lap();
        const namespace = scope.manage(evaluated.value);
        const state = vm.getPromiseState(namespace);
        evaluatedKind = state.type === "fulfilled" && state.notAPromise === true ? 1 : 2;
        if (state.type === "fulfilled" && !state.notAPromise) state.value.dispose();
        if (state.type === "rejected") state.error.dispose();
        evaluatedHandle = namespace;
      }
      called = true;

      const meta = {
        method: input.request.method,
        url: input.request.url,
        path: input.request.path,
        params: input.request.params,
        query: input.request.query,
        headers: input.request.headers.map(([name, value]) => [name.toLowerCase(), value]),
      };
      const args = [
        evaluatedHandle,
        scope.manage(vm.newNumber(evaluatedKind)),
        scope.manage(vm.newString(JSON.stringify(meta))),
        scope.manage(vm.newString(input.request.body)),
        scope.manage(vm.newString(JSON.stringify(input.env))),
        scope.manage(vm.newNumber(limits.responseBytes)),
        scope.manage(vm.newNumber(limits.logBytes)),
        scope.manage(vm.newNumber(input.kind === "flow" ? 1 : 0)),
        scope.manage(vm.newString(input.contextJson ?? "")),
      ];
      const started = budget.slice(() => vm.callFunction(startFn, vm.undefined, args));
      if (started.error) {
        const stop = describeThrown(started.error);
        started.error.dispose();
        throw stop;
      }
      const runPromise = scope.manage(started.value);

      for (;;) {
        checkBudget();
        runJobs();
        const settled = vm.getPromiseState(runPromise);
        if (settled.type === "rejected") {
          const stop = describeThrown(settled.error);
          settled.error.dispose();
          throw stop;
        }
        if (settled.type === "fulfilled") {
          const record = settled.value;
          try {
            result = readRecord(record);
          } finally {
            record.dispose();
          }
          break;
        }
        if (pending.size === 0) {
          // Nothing can settle it any more: no job is queued, no host call is out, and there are no timers.
          throw new Stop("timeout", {
            name: "TimeoutError",
            message: "the workflow is waiting for a promise that nothing can settle (no host call or job is pending)",
          });
        }
        const remaining = startedAt + limits.wallMs - now();
        const woke = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), Math.max(0, remaining));
          wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        wake = null;
        if (!woke) throw new Stop("timeout", limitError("timeout", limits));
      }
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      result = finish(error.outcome, { error: error.error });
    }
  } catch (error) {
    // An exception from quickjs-emscripten itself (not the tenant's, which are values inside the VM):
    // the WebAssembly memory ran out, or the interpreter was left half-way. Start the module anew.
    poisoned = true;
    internalError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const outcome: Outcome = memoryFull() ? "memory_limit" : "error";
    result = finish(outcome, {
      error:
        outcome === "memory_limit"
          ? limitError("memory_limit", limits)
          : { name: "InternalError", message: "the sandbox failed while running the workflow" },
    });
  } finally {
    finished = true;
    wake = null;
  }

  if (called) phases.callMs = lap();
  else lap();
  let reusable = false;
  try {
    reusable =
      result.outcome === "ok" &&
      !poisoned &&
      internalError === undefined &&
      pending.size === 0 &&
      budget.interrupted === null &&
      !memoryFull() &&
      !runtime.hasPendingJob();
  } catch {
    reusable = false;
  }
  prepared.session.current = null;
  try {
    for (const deferred of pending.values()) deferred.dispose();
    pending.clear();
    scope.dispose();
  } catch (error) {
    poisoned = true;
    reusable = false;
    internalError ??= `freeing the invocation's handles failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (reusable) prepared.workflowLoaded = true;
  phases.disposeMs = lap();
  return internalError === undefined ? { result, poisoned, reusable, phases } : { result, poisoned, reusable, phases, internalError };
}
