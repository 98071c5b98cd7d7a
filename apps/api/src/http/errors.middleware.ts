import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "@hookline/core";
import { isDatabaseUnavailable, isTransientConflict } from "@hookline/db";

/** body-parser's error types, mapped to what the client did wrong. */
function fromBodyParser(error: { type?: unknown; status?: unknown }): AppError | undefined {
  switch (error.type) {
    case "entity.parse.failed":
      return new AppError({ status: 400, code: "invalid_json", message: "The request body is not valid JSON." });
    case "entity.too.large":
      return new AppError({ status: 413, code: "payload_too_large", message: "The request body is larger than the limit." });
    case "charset.unsupported":
    case "encoding.unsupported":
      return new AppError({ status: 415, code: "unsupported_media_type", message: "The request body encoding is not supported." });
    case "request.aborted":
    case "request.size.invalid":
      return new AppError({ status: 400, code: "validation_error", message: "The request body was incomplete." });
    default:
      return undefined;
  }
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (typeof error === "object" && error !== null) {
    const mapped = fromBodyParser(error as { type?: unknown });
    if (mapped) return mapped;
    // Errors from Express itself that carry a client status (for example a malformed URI).
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return new AppError({ status, code: status === 404 ? "not_found" : "validation_error", message: "The request is invalid." });
    }
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError({ status: 503, code: "service_unavailable", message: "The database is unavailable; retry shortly.", cause: error });
  }
  // A deadlock that outlasted the repository's own retries: nothing was written; try again.
  if (isTransientConflict(error)) {
    return new AppError({
      status: 503,
      code: "service_unavailable",
      message: "The request conflicted with concurrent work and changed nothing; retry shortly.",
      cause: error,
    });
  }
  return new AppError({ status: 500, code: "internal_error", message: "Something went wrong on our side.", cause: error });
}

/** The one place errors become HTTP responses: the same JSON shape for every route and status. */
export const renderErrors: ErrorRequestHandler = (error, req, res, next) => {
  const appError = toAppError(error);
  const log = req.log;
  // A workflow's failure is the tenant's code failing, not Hookline: its details are in the execution log.
  if (appError.status === 503 || appError.code.startsWith("workflow_"))
    log.warn({ code: appError.code, status: appError.status }, appError.message);
  else if (appError.status >= 500) log.error({ err: error }, "request failed");
  else log.warn({ code: appError.code, status: appError.status }, appError.message);
  if (res.headersSent) {
    next(error);
    return;
  }
  if (appError.status === 503) res.setHeader("Retry-After", "1");
  res.status(appError.status).json({
    error: {
      code: appError.code,
      message: appError.message,
      details: appError.details,
      request_id: req.id,
    },
  });
};

export const unknownRoute: RequestHandler = (req) => {
  throw new AppError({ status: 404, code: "not_found", message: `No route for ${req.method} ${req.path}.` });
};
