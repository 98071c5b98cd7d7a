import express, { type Request, type RequestHandler } from "express";
import { AppError } from "@hookline/core";

const JSON_TYPES = ["application/json", "application/*+json"];

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers["content-length"];
  return headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Request bodies are JSON objects or nothing. A body of another media type is a 415 before any
 * parsing, so a form post can never reach a handler as an empty object.
 */
export function jsonBody(maxBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (hasBody(req.headers) && !req.is(JSON_TYPES)) {
      throw new AppError({
        status: 415,
        code: "unsupported_media_type",
        message: "Request bodies must be JSON (content-type: application/json).",
      });
    }
    next();
  };
  return [requireJson, express.json({ limit: maxBytes, type: JSON_TYPES, strict: false }), rejectNulCharacters];
}

/** Finds the first string (key or value) holding U+0000, which Postgres text and jsonb cannot store. */
function nulPath(value: unknown, path: string[], depth = 0): string[] | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (typeof value !== "object" || value === null || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes("\u0000")) return [...path, key];
    const found = nulPath(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  const path = nulPath(req.body, []);
  if (path) {
    throw AppError.validation([{ field: path.length ? path.join(".") : "body", message: "must not contain the NUL character (\\u0000)" }]);
  }
  next();
};

/** The parsed JSON body; a request without one validates as an empty object. */
export function bodyOf(req: Request): unknown {
  return req.body === undefined ? {} : req.body;
}
