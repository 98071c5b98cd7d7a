import { HooklineError, type components } from "@hookline/sdk";

/** Schemas of the generated OpenAPI types the inbound and integrations pages use. */
type Schemas = components["schemas"];
export type Workflow = Schemas["WorkflowResponse"];
export type WorkflowVersion = Schemas["WorkflowVersionResponse"];
export type Preview = Schemas["PreviewResponse"];
export type InboundExecutionDetail = Schemas["InboundExecutionResponse"];
export type FlowExecution = Schemas["FlowExecutionResponse"];
export type ExecutionError = Schemas["ExecutionErrorView"];
export type LogLine = Schemas["ExecutionLogLineView"];
export type Integration = Schemas["IntegrationResponse"];
export type Instance = Schemas["InstanceResponse"];

interface RawResult<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** What `client.raw` answered, or the API's error thrown as the SDK's own methods throw it. */
export async function must<T>(call: Promise<RawResult<T>>): Promise<T> {
  const result = await call;
  if (!result.response.ok) throw HooklineError.fromResponse(result.response, result.error);
  return result.data as T;
}

/** One page of a list route called through `client.raw`: its items and the next cursor. */
export async function rawPage<T>(call: Promise<RawResult<T[]>>): Promise<{ items: T[]; nextCursor: string | undefined }> {
  const result = await call;
  if (!result.response.ok) throw HooklineError.fromResponse(result.response, result.error);
  return { items: result.data ?? [], nextCursor: result.response.headers.get("X-Next-Cursor") ?? undefined };
}

/** Where code does not compile: the API names line and column in each problem's message. */
export interface CodeProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const AT = /^line (\d+), column (\d+): ([\s\S]*)$/;

/** The compile problems of a refused save (400, one `code` detail per problem), or none. */
export function codeProblems(error: unknown): CodeProblem[] {
  if (!(error instanceof HooklineError) || error.status !== 400) return [];
  return error.details.flatMap((detail) => {
    const match = detail.field === "code" ? AT.exec(detail.message) : null;
    return match ? [{ line: Number(match[1]), column: Number(match[2]), message: match[3]! }] : [];
  });
}
