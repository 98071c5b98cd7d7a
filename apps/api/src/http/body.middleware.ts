import express, { type RequestHandler } from "express";
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
  return [requireJson, express.json({ limit: maxBytes, type: JSON_TYPES, strict: false })];
}
