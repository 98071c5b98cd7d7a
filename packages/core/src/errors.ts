/** A problem with one field of a request, named by its dotted path (for example `headers_json.X-Env`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export type ErrorCode =
  | "validation_error"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "unprocessable"
  | "rate_limited"
  | "service_unavailable"
  | "internal_error"
  // What a workflow did, as the caller of an inbound endpoint sees it.
  | "workflow_error"
  | "workflow_cpu_limit"
  | "workflow_timeout"
  | "workflow_memory_limit"
  | "workflow_disabled";

export interface AppErrorInit {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: readonly FieldProblem[];
  readonly cause?: unknown;
}

/**
 * The one error type of Hookline. Everything a client did wrong, and everything that went wrong
 * inside, becomes an AppError and is rendered by one middleware in one format.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: readonly FieldProblem[];

  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "AppError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
  }

  static validation(details: readonly FieldProblem[], message = "The request is invalid."): AppError {
    return new AppError({ status: 400, code: "validation_error", message, details });
  }

  static notFound(what: string): AppError {
    return new AppError({ status: 404, code: "not_found", message: `${what} was not found.` });
  }

  static unauthorized(message: string): AppError {
    return new AppError({ status: 401, code: "unauthorized", message });
  }

  static conflict(message: string, details?: readonly FieldProblem[]): AppError {
    return new AppError({ status: 409, code: "conflict", message, details: details ?? [] });
  }
}
