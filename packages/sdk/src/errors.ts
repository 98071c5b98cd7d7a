import type { ErrorCode, FieldProblem } from "./types.js";

/**
 * Codes the SDK gives errors that have no API response behind them: the call ran out of time,
 * was aborted by the caller, could not reach the API, or got an answer that is not the API's
 * error format (a proxy's HTML page, say).
 */
export type ClientErrorCode = "timeout" | "aborted" | "connection_error" | "unexpected_response";

/** The API's codes, the SDK's own, and any code a newer API may add (kept a string). */
export type HooklineErrorCode = ErrorCode | ClientErrorCode | (string & Record<never, never>);

export interface HooklineErrorInit {
  readonly message: string;
  readonly status: number;
  readonly code: HooklineErrorCode;
  readonly details?: readonly FieldProblem[];
  readonly requestId?: string;
  readonly cause?: unknown;
}

/** Every failure of a call: an error answer of the API, or no answer at all (`status` 0). */
export class HooklineError extends Error {
  /** The HTTP status, or 0 when no response arrived (timeout, abort, connection error). */
  readonly status: number;
  readonly code: HooklineErrorCode;
  /** One entry per offending field of a validation error; empty otherwise. */
  readonly details: readonly FieldProblem[];
  /** The id the API logged the request under (quote it in a support request). */
  readonly requestId: string | undefined;

  constructor(init: HooklineErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "HooklineError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
  }

  /** The error of a response that was not a success, from the API's one error shape. */
  static fromResponse(response: Response, body: unknown): HooklineError {
    const requestId = response.headers.get("x-request-id") ?? undefined;
    const error = apiError(body);
    if (error === undefined) {
      return new HooklineError({
        message: `The API answered ${response.status} ${response.statusText}`.trim() + " without its error format.",
        status: response.status,
        code: "unexpected_response",
        requestId,
      });
    }
    return new HooklineError({
      message: error.message,
      status: response.status,
      code: error.code,
      details: error.details,
      requestId: error.request_id ?? requestId,
    });
  }
}

interface ApiErrorBody {
  code: string;
  message: string;
  details: FieldProblem[];
  request_id: string | undefined;
}

/** `{"error": {code, message, details, request_id}}`, checked rather than trusted: a proxy may answer instead. */
function apiError(body: unknown): ApiErrorBody | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, details, request_id } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  return {
    code,
    message,
    details: Array.isArray(details) ? details.filter(isFieldProblem) : [],
    request_id: typeof request_id === "string" ? request_id : undefined,
  };
}

function isFieldProblem(value: unknown): value is FieldProblem {
  if (typeof value !== "object" || value === null) return false;
  const { field, message } = value as Record<string, unknown>;
  return typeof field === "string" && typeof message === "string";
}
