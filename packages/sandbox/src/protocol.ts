/**
 * Messages between the pool (main thread) and a sandbox thread. Only plain data crosses: the
 * structured clone copies it, and nothing of the main thread's objects is reachable from a thread.
 */
import type { SandboxLimits } from "./limits.js";
import type {
  CompileProblem,
  FetchInput,
  FetchOutput,
  InvocationKind,
  InvocationResult,
  PublishInput,
  PublishOutput,
  WorkflowRequest,
} from "./types.js";
import type { WarmState } from "./warm-contexts.js";

/** Run one invocation. */
export interface RunMessage {
  type: "run";
  id: number;
  /** With codeKey (and js), what a warm context is kept for and reused by. */
  tenantId: string;
  codeKey: string;
  js: string;
  request: WorkflowRequest;
  env: Record<string, string>;
  limits: SandboxLimits;
  kind: InvocationKind;
  /** Invocation.context as the JSON text of an object (checked by the pool), or null. */
  contextJson: string | null;
}

/** Compile-only check of a module. */
export interface CheckMessage {
  type: "check";
  id: number;
  js: string;
}

export type HostCallRequest = { kind: "publish"; input: PublishInput } | { kind: "fetch"; input: FetchInput; timeoutMs: number };

/** A refusal the tenant may see (HostCallError), or "internal" for any other failure, whose message stays on the host. */
export interface HostCallFailure {
  message: string;
  code: string;
  details?: unknown;
}

export type HostCallReply =
  | { ok: true; kind: "publish"; value: PublishOutput }
  | { ok: true; kind: "fetch"; value: FetchOutput }
  | { ok: false; error: HostCallFailure };

/** The answer to a host call, for the invocation `id`. */
export interface HostResultMessage {
  type: "host-result";
  id: number;
  callId: number;
  reply: HostCallReply;
}

export type ToThread = RunMessage | CheckMessage | HostResultMessage;

export interface ReadyMessage {
  type: "ready";
  /** The thread's kernel id (Linux), by which the pool reads its CPU clock; null elsewhere. */
  threadId: number | null;
}

export interface HostCallMessage {
  type: "host-call";
  id: number;
  callId: number;
  request: HostCallRequest;
}

export interface ResultMessage {
  type: "result";
  id: number;
  result: InvocationResult;
  /** What the thread holds warm after this invocation. */
  warm: WarmState;
  /** Set when the thread itself failed (not the tenant's code): the pool logs it. */
  internalError?: string;
}

/** Sent when the thread disposed idle warm contexts between invocations. */
export interface WarmMessage {
  type: "warm";
  warm: WarmState;
}

export interface CheckResultMessage {
  type: "check-result";
  id: number;
  problems: CompileProblem[];
}

export type FromThread = ReadyMessage | HostCallMessage | ResultMessage | CheckResultMessage | WarmMessage;
