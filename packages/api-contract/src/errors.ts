import type { ErrorCode, FieldProblem } from "@hookline/core";

/** Every error, on every route, has this one shape (rendered by the API's error middleware). */
export interface ErrorResponse {
  error: {
    code: ErrorCode;
    message: string;
    /** One entry per offending field, named by its dotted path (`headers_json.X-Env`). */
    details: readonly FieldProblem[];
    /** The request's id, as logged and echoed in `X-Request-Id`. */
    request_id: string;
  };
}
