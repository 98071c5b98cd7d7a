import type { Worker } from "node:worker_threads";
import type { SandboxLimits } from "./limits.js";
import type { InvocationShape } from "./invocation-shape.js";
import type { FromThread, HostCallFailure, HostCallReply, HostCallRequest, ToThread } from "./protocol.js";
import { startThread } from "./thread-entry.js";
import type {
  CompileProblem,
  FetchOutput,
  HostCalls,
  Invocation,
  InvocationResult,
  Outcome,
  PublishOutput,
  SandboxLogger,
} from "./types.js";
import { HostCallError } from "./errors.js";
import type { WarmContextOptions, WarmState } from "./warm-contexts.js";
import { threadCpuClock, type CpuClock } from "./thread-clock.js";

/**
 * The watchdog's slack over the limits. QuickJS polls its interrupt handler every 10,000 bytecode
 * steps, but a builtin (a sort of millions of numbers, say) runs to its end without one, and a
 * loop of such calls polls it only every 10,000 calls: the thread can run on past cpuMs, out of
 * the tenant's budget checks. The main thread watches for that: a thread that has been working
 * (not waiting for a host call) for cpuMs + grace in all, or has not answered by wallMs + grace,
 * is terminated and replaced. The grace also covers the thread's own setup and disposal. "Working"
 * is first timed by the wall clock; when that runs out, the thread's own CPU clock decides (where
 * Linux gives one): a thread that waited for a CPU on a loaded machine is given the rest.
 */
export const WATCHDOG_GRACE_MS = 1000;
/** Values of the shared CPU-at-start cell besides a clock reading (see ThreadData.cpuAtStart). */
const NOT_STARTED = -2n;
const NO_CLOCK = -1n;
/** A thread's own V8 heap; tenant memory lives in the WebAssembly memory, which this does not count. */
const THREAD_HEAP_MB = 64;
/** Deep QuickJS recursion is deep WebAssembly recursion: the thread's stack must outlast QuickJS's own check (see MAX_STACK_BYTES). */
const THREAD_STACK_MB = 8;
/** A check only parses (QuickJS bounds it with its own 2 s interrupt deadline). */
const CHECK_WATCHDOG_MS = 5000;

type Job =
  | { kind: "run"; id: number; invocation: Invocation; limits: SandboxLimits; resolve: (result: InvocationResult) => void }
  | { kind: "check"; id: number; js: string; resolve: (problems: CompileProblem[]) => void };

interface Current {
  job: Job;
  /** Fires at wallMs + grace. */
  wallTimer: NodeJS.Timeout | undefined;
  /** Fires when the thread has worked cpuMs + grace in all; paused while host calls are out. */
  workTimer: NodeJS.Timeout | undefined;
  workBudgetMs: number;
  workedMs: number;
  workingSince: number;
  hostCallsInFlight: number;
  startedAt: number;
}

const emptyResult = (outcome: Outcome, name: string, message: string, startedAt: number): InvocationResult => ({
  outcome,
  error: { name, message },
  logs: [],
  logsTruncated: false,
  publishedEventIds: [],
  durationMs: Math.round(performance.now() - startedAt),
  cpuMs: 0,
});

/**
 * The main thread's side of one sandbox thread: sends it one job at a time, serves its host
 * calls with the invocation's HostCalls, and replaces the thread when it fails or stops answering.
 */
export class SandboxThread {
  private worker!: Worker;
  private current: Current | undefined;
  private nextId = 1;
  private closed = false;
  /** Threads that failed before they were ready, in a row: respawning waits longer each time. */
  private failedStarts = 0;
  private respawnTimer: NodeJS.Timeout | undefined;
  /** The current thread's CPU clock, read from this thread (null until it is ready, or where there is none). */
  private cpuClock: CpuClock | null = null;
  /** The thread's CPU clock at its current invocation's start (µs), written by the thread (see ThreadData). */
  private cpuAtStart = new BigInt64Array(new SharedArrayBuffer(8));
  ready = false;
  /** What the thread said it holds warm (a new thread holds nothing): the pool schedules with it. */
  warm: WarmState = { tenantId: null, codeKeys: [] };
  /** When the thread last finished a job (performance.now()). */
  lastFinishedAt = 0;

  constructor(
    private readonly memoryBytes: number,
    private readonly warmOptions: WarmContextOptions,
    private readonly logger: SandboxLogger | undefined,
    /** Called whenever the thread becomes free for a job (started, finished one, replaced). */
    private readonly onIdle: () => void,
  ) {
    this.spawn();
  }

  get idle(): boolean {
    return this.ready && this.current === undefined && !this.closed;
  }

  run(invocation: Invocation, shape: InvocationShape, limits: SandboxLimits): Promise<InvocationResult> {
    return new Promise((resolve) => {
      const job: Job = { kind: "run", id: this.nextId++, invocation, limits, resolve };
      this.begin(job, limits.wallMs + WATCHDOG_GRACE_MS, limits.cpuMs + WATCHDOG_GRACE_MS);
      this.post({
        type: "run",
        id: job.id,
        tenantId: invocation.tenantId,
        codeKey: invocation.codeKey,
        js: invocation.js,
        request: invocation.request,
        env: invocation.env,
        limits,
        kind: shape.kind,
        contextJson: shape.contextJson,
      });
    });
  }

  check(js: string): Promise<CompileProblem[]> {
    return new Promise((resolve) => {
      const job: Job = { kind: "check", id: this.nextId++, js, resolve };
      this.begin(job, CHECK_WATCHDOG_MS, CHECK_WATCHDOG_MS);
      this.post({ type: "check", id: job.id, js });
    });
  }

  /** Ends the thread. A job still running is answered as if the thread had failed. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.respawnTimer);
    this.fail("error", "the sandbox pool was closed");
    await this.worker.terminate();
  }

  private spawn(): void {
    this.ready = false;
    this.cpuClock = null;
    this.warm = { tenantId: null, codeKeys: [] };
    this.cpuAtStart = new BigInt64Array(new SharedArrayBuffer(8));
    const worker = startThread(
      { memoryBytes: this.memoryBytes, warm: this.warmOptions, cpuAtStart: this.cpuAtStart.buffer as SharedArrayBuffer },
      { maxOldGenerationSizeMb: THREAD_HEAP_MB, stackSizeMb: THREAD_STACK_MB },
    );
    this.worker = worker;
    worker.on("message", (message: FromThread) => {
      if (worker === this.worker) this.onMessage(message);
    });
    worker.on("error", (error: Error & { code?: string }) => {
      if (worker !== this.worker) return;
      const outOfMemory = error.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.logger?.error({ err: error }, "sandbox thread failed");
      this.fail(outOfMemory ? "memory_limit" : "error", outOfMemory ? "the sandbox thread ran out of memory" : "the sandbox thread failed");
      this.replace(worker);
    });
    worker.on("exit", (code) => {
      if (worker !== this.worker || this.closed) return;
      this.logger?.error({ code }, "sandbox thread exited");
      this.fail("error", "the sandbox thread exited");
      this.replace(worker);
    });
  }

  private replace(old: Worker): void {
    if (this.closed) return;
    old.removeAllListeners("message");
    void old.terminate();
    if (this.ready) {
      this.spawn();
      return;
    }
    // It failed before it could answer anything (a broken install, say): do not spin.
    this.failedStarts++;
    const delay = Math.min(30_000, 250 * 2 ** this.failedStarts);
    this.respawnTimer = setTimeout(() => this.spawn(), delay);
  }

  private begin(job: Job, wallMs: number, workMs: number): void {
    if (!this.idle) throw new Error("SandboxThread: a job is already running");
    const now = performance.now();
    const current: Current = {
      job,
      wallTimer: undefined,
      workTimer: undefined,
      workBudgetMs: workMs,
      workedMs: 0,
      workingSince: now,
      hostCallsInFlight: 0,
      startedAt: now,
    };
    // The thread writes its clock here when the invocation's budget starts; until then, nothing has begun.
    Atomics.store(this.cpuAtStart, 0, NOT_STARTED);
    current.wallTimer = setTimeout(() => this.onWatchdog(current, "wall"), wallMs);
    current.workTimer = setTimeout(() => this.onWatchdog(current, "work"), workMs);
    this.current = current;
  }

  /** A host call went out: the thread is waiting, not working. */
  private pauseWork(current: Current): void {
    if (current.hostCallsInFlight++ > 0) return;
    clearTimeout(current.workTimer);
    current.workTimer = undefined;
    current.workedMs += performance.now() - current.workingSince;
  }

  /** The last host call came back: the thread works again, with what is left of its budget. */
  private resumeWork(current: Current): void {
    if (--current.hostCallsInFlight > 0 || this.current !== current) return;
    current.workingSince = performance.now();
    current.workTimer = setTimeout(() => this.onWatchdog(current, "work"), Math.max(0, current.workBudgetMs - current.workedMs));
  }

  /**
   * CPU the thread used since the current invocation's budget started (ms). Infinity where the
   * clock cannot tell (wall time then decides): no clock, or the budget has not started (the
   * thread is still in its own setup, which must not spin past the limit either).
   */
  private cpuUsedByJob(): number {
    const start = Atomics.load(this.cpuAtStart, 0);
    if (start === NOT_STARTED || start === NO_CLOCK) return Infinity;
    const reading = this.cpuClock?.() ?? null;
    return reading === null ? Infinity : reading - Number(start) / 1000;
  }

  /** The thread did not answer in time: whatever it is doing, it is doing it outside the tenant's budget checks. */
  private onWatchdog(current: Current, which: "wall" | "work"): void {
    if (this.current !== current) return;
    if (which === "work" && current.job.kind === "run") {
      const usedMs = this.cpuUsedByJob();
      if (usedMs < current.workBudgetMs) {
        // It worked less than its wall time says (it waited for a CPU): a CPU cannot be used faster than the clock runs.
        current.workTimer = setTimeout(() => this.onWatchdog(current, "work"), Math.max(1, current.workBudgetMs - usedMs));
        return;
      }
    }
    this.logger?.warn(
      { job: current.job.kind, which, waitingOnHost: current.hostCallsInFlight > 0 },
      "sandbox thread stopped answering; replacing it",
    );
    if (which === "wall") this.fail("timeout", "the workflow did not answer within its wall-clock limit (wallMs)");
    else this.fail("cpu_limit", "the workflow kept the sandbox busy past its CPU limit (cpuMs) and was stopped");
    this.replace(this.worker);
  }

  /** Answers the current job (if any) with an outcome that is not the thread's own answer. */
  private fail(outcome: Outcome, message: string): void {
    const current = this.current;
    if (current === undefined) return;
    this.current = undefined;
    clearTimeout(current.wallTimer);
    clearTimeout(current.workTimer);
    if (current.job.kind === "run") {
      const name =
        outcome === "timeout"
          ? "TimeoutError"
          : outcome === "cpu_limit"
            ? "CpuLimitError"
            : outcome === "memory_limit"
              ? "MemoryLimitError"
              : "InternalError";
      current.job.resolve(emptyResult(outcome, name, message, current.startedAt));
    } else {
      current.job.resolve([{ message: `the check could not run: ${message}`, line: 1, column: 1 }]);
    }
  }

  private finish(current: Current): void {
    clearTimeout(current.wallTimer);
    clearTimeout(current.workTimer);
    this.current = undefined;
    this.lastFinishedAt = performance.now();
    if (!this.closed) this.onIdle();
  }

  private onMessage(message: FromThread): void {
    switch (message.type) {
      case "ready":
        this.ready = true;
        this.cpuClock = message.threadId === null ? null : threadCpuClock(message.threadId);
        this.failedStarts = 0;
        if (!this.closed) this.onIdle();
        return;
      case "result": {
        const current = this.current;
        if (current === undefined || current.job.kind !== "run" || current.job.id !== message.id) return;
        if (message.internalError !== undefined)
          this.logger?.warn({ reason: message.internalError }, "sandbox thread restarted its QuickJS module");
        this.warm = message.warm;
        current.job.resolve(message.result);
        this.finish(current);
        return;
      }
      case "check-result": {
        const current = this.current;
        if (current === undefined || current.job.kind !== "check" || current.job.id !== message.id) return;
        current.job.resolve(message.problems);
        this.finish(current);
        return;
      }
      case "warm":
        this.warm = message.warm;
        return;
      case "host-call": {
        const current = this.current;
        if (current === undefined || current.job.kind !== "run" || current.job.id !== message.id) return;
        this.pauseWork(current);
        void serveHostCall(current.job.invocation.host, message.request, this.logger).then((reply) => {
          this.resumeWork(current);
          if (this.current === current) this.post({ type: "host-result", id: message.id, callId: message.callId, reply });
        });
        return;
      }
    }
  }

  private post(message: ToThread): void {
    this.worker.postMessage(message);
  }
}

const isPairs = (value: unknown): value is [string, string][] =>
  Array.isArray(value) &&
  value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && typeof pair[1] === "string");

/** Copies a HostCallError's details as JSON, the only form that can enter the sandbox. */
function jsonDetails(details: unknown): unknown {
  if (details === undefined) return undefined;
  try {
    const text = JSON.stringify(details);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * Runs one host call in the main thread. A HostCallError is the tenant's to see; any other error
 * stays here (logged) and the tenant sees only that the call failed. The answer is checked so
 * that a HostCalls implementation's mistake cannot hand the sandbox anything but plain data.
 */
export async function serveHostCall(host: HostCalls, request: HostCallRequest, logger: SandboxLogger | undefined): Promise<HostCallReply> {
  try {
    if (request.kind === "publish") {
      const output: PublishOutput = await host.publish(request.input);
      if (typeof output?.id !== "string" || typeof output.event_type !== "string" || typeof output.deliveries !== "number") {
        throw new TypeError("HostCalls.publish returned an invalid result");
      }
      return { ok: true, kind: "publish", value: { id: output.id, event_type: output.event_type, deliveries: output.deliveries } };
    }
    const output: FetchOutput = await host.fetch(request.input, request.timeoutMs);
    if (typeof output?.status !== "number" || !Number.isInteger(output.status) || output.status < 100 || output.status > 599) {
      throw new TypeError("HostCalls.fetch returned an invalid status");
    }
    if (!isPairs(output.headers) || typeof output.body !== "string") throw new TypeError("HostCalls.fetch returned an invalid result");
    return {
      ok: true,
      kind: "fetch",
      value: { status: output.status, headers: output.headers.map(([name, value]) => [name, value]), body: output.body },
    };
  } catch (error) {
    if (error instanceof HostCallError) {
      const failure: HostCallFailure = { message: error.message, code: error.code };
      const details = jsonDetails(error.details);
      if (details !== undefined) failure.details = details;
      return { ok: false, error: failure };
    }
    logger?.error({ err: error, kind: request.kind }, "sandbox host call failed");
    return { ok: false, error: { message: `utils.${request.kind} failed`, code: "internal" } };
  }
}
