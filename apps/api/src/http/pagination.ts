import type { Request, Response } from "express";
import { AppError } from "@hookline/core";
import type { Page, PageRequest } from "@hookline/db";
import { DEFAULT_LIMIT, listQuerySchema, MAX_LIMIT, type ListQuery } from "@hookline/api-contract";
import { validator } from "./validation.js";

const listQuery = validator<ListQuery>(listQuerySchema, "query");

/** Cursors are opaque to clients: base64url of the last id seen, so the format can change later. */
export function encodeCursor(afterId: string): string {
  return Buffer.from(JSON.stringify({ a: afterId })).toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { a?: unknown };
    // Ids or event-type names; never NUL, which Postgres text cannot hold.
    if (typeof decoded.a === "string" && decoded.a.length > 0 && decoded.a.length <= 256 && !decoded.a.includes("\u0000")) return decoded.a;
  } catch {
    // fall through to the error below
  }
  throw AppError.validation([{ field: "cursor", message: "is not a cursor this API returned" }]);
}

/** Reads `limit` and `cursor` from the query string; other query parameters are the route's own. */
export function pageRequest(req: Request): PageRequest {
  const { limit, cursor } = listQuery(req.query);
  const size = limit === undefined ? DEFAULT_LIMIT : Number(limit);
  if (size < 1 || size > MAX_LIMIT) {
    throw AppError.validation([{ field: "limit", message: `must be an integer from 1 to ${MAX_LIMIT}` }]);
  }
  return { limit: size, after: cursor === undefined ? undefined : decodeCursor(cursor) };
}

/**
 * Lists answer with a bare JSON array (the shape 002 specifies for GET /v1/endpoints); the next
 * page is announced in a `Link: <…>; rel="next"` header and, for convenience, `X-Next-Cursor`.
 */
export function sendPage<T, R>(req: Request, res: Response, page: Page<T>, present: (item: T) => R): void {
  if (page.nextAfter !== undefined) {
    const cursor = encodeCursor(page.nextAfter);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) {
      if (key !== "cursor" && typeof value === "string") params.set(key, value);
    }
    params.set("cursor", cursor);
    res.setHeader("Link", `<${req.baseUrl}${req.path}?${params.toString()}>; rel="next"`);
    res.setHeader("X-Next-Cursor", cursor);
  }
  res.json(page.items.map(present));
}
