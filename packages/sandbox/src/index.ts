export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from "./limits.js";
export { compileWorkflow } from "./compile.js";
export { HostCallError } from "./errors.js";
export { lazySandboxPool, SandboxPool } from "./pool.js";
export { DEFAULT_WARM_CONTEXT_OPTIONS, type WarmContextOptions } from "./warm-contexts.js";
export type {
  CompileProblem,
  FetchInput,
  FetchOutput,
  HostCalls,
  Invocation,
  InvocationKind,
  InvocationResult,
  LogLine,
  Outcome,
  PublishInput,
  PublishOutput,
  ReservedContextName,
  SandboxLogger,
  SandboxPoolOptions,
  WorkflowError,
  WorkflowRequest,
  WorkflowResponse,
} from "./types.js";
