import type { SandboxLimits } from "./limits.js";
import type { WarmContextOptions } from "./warm-contexts.js";

/** A problem found in a workflow's source; line and column are 1-based, in the tenant's own source. */
export interface CompileProblem {
  message: string;
  line: number;
  column: number;
}

/** The inbound HTTP request a workflow answers. */
export interface WorkflowRequest {
  method: string;
  url: string;
  path: string;
  params: Record<string, string>;
  /** The first value of each name. */
  query: Record<string, string>;
  /** Lower-case names. */
  headers: [string, string][];
  /** Text, up to 5 MiB. */
  body: string;
}

export interface PublishInput {
  event_type: string;
  data: unknown;
  object_id?: string;
  idempotency_key?: string;
  /** The customer it is for, as `POST /v1/events` takes it: by id or by external id, not both. */
  customer_id?: string;
  customer_external_id?: string;
}

export interface PublishOutput {
  id: string;
  event_type: string;
  deliveries: number;
}

export interface FetchInput {
  url: string;
  method: string;
  headers: [string, string][];
  body?: string;
}

export interface FetchOutput {
  status: number;
  headers: [string, string][];
  body: string;
}

/** What a workflow may ask of Hookline. These run in the main thread: they need the database and the HTTP client. */
export interface HostCalls {
  publish(input: PublishInput): Promise<PublishOutput>;
  fetch(input: FetchInput, timeoutMs: number): Promise<FetchOutput>;
}

/**
 * What an invocation runs. "endpoint" (the default): a workflow answering an inbound request with a
 * Response. "flow": an integration's flow, whose return value is data, handed back as JSON text.
 */
export type InvocationKind = "endpoint" | "flow";

/** Names of the default export's argument that Invocation.context may not use. */
export type ReservedContextName = "request" | "env" | "utils";

export interface Invocation {
  /** Fairness key. */
  tenantId: string;
  /**
   * Immutable identity of `js` (a version id), unique per code version and environment: a thread
   * reuses the context of an earlier clean invocation of the same tenant, codeKey and js (module
   * globals may persist between them; see the README).
   */
  codeKey: string;
  /** Output of compileWorkflow. */
  js: string;
  request: WorkflowRequest;
  /** Frozen inside the sandbox. */
  env: Record<string, string>;
  host: HostCalls;
  limits?: Partial<SandboxLimits>;
  /** Default "endpoint". */
  kind?: InvocationKind;
  /**
   * Extra properties of the argument the default export receives, next to request, env and utils
   * (for a flow: `customer`, `flow`; the caller decides). Copied as JSON (JSON.stringify here, parsed
   * inside the sandbox) and deep-frozen there. A context that is not a JSON object, cannot be
   * serialised, or uses a name of ReservedContextName makes run() reject with a TypeError.
   */
  context?: Record<string, unknown>;
}

export type Outcome = "ok" | "error" | "cpu_limit" | "timeout" | "memory_limit" | "busy";

export interface LogLine {
  level: "debug" | "info" | "log" | "warn" | "error";
  message: string;
  /** ms since the invocation started */
  at: number;
}

export interface WorkflowResponse {
  status: number;
  headers: [string, string][];
  /** The body as text, or base64 when bodyEncoding says so (the workflow answered with bytes). */
  body: string;
  bodyEncoding: "utf8" | "base64";
}

export interface WorkflowError {
  name: string;
  message: string;
  /** 1-based, in the tenant's own source. */
  line?: number;
  column?: number;
  /** Only the frames of the tenant's module. */
  stack?: string;
}

export interface InvocationResult {
  outcome: Outcome;
  /** Only when ok, for an endpoint workflow. */
  response?: WorkflowResponse;
  /**
   * Only when ok, for a flow: its return value as JSON text (what JSON.stringify gives, at most
   * responseBytes of UTF-8), or null when it returned undefined.
   */
  result?: string | null;
  /** The tenant's error (outcome "error"), or what stopped it (limits, timeout, busy). */
  error?: WorkflowError;
  logs: LogLine[];
  logsTruncated: boolean;
  publishedEventIds: string[];
  durationMs: number;
  /** Time spent running tenant code (wall-clock time inside the interpreter; see the README). */
  cpuMs: number;
}

/** The subset of a pino logger the pool uses. */
export interface SandboxLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SandboxPoolOptions {
  threads: number;
  limits: SandboxLimits;
  /** Threads one tenant may occupy at once (default ceil(threads / 2)). */
  maxPerTenant?: number;
  /** Beyond this many waiting invocations of one tenant, run() answers "busy" at once (default 100). */
  maxQueuedPerTenant?: number;
  /**
   * Warm contexts kept per thread (default { perThread: 8, idleMs: 60_000, maxUses: 10_000 });
   * perThread 0 gives every invocation a fresh context.
   */
  warmContexts?: Partial<WarmContextOptions>;
  /** When several threads are free, give an invocation to one already warm for its tenant and code (default true). */
  preferWarmThreads?: boolean;
  logger?: SandboxLogger;
}
