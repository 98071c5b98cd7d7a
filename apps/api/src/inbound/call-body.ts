import express, { type Request, type Response } from "express";
import { INBOUND_MAX_BODY_BYTES } from "@hookline/api-contract";

/** What calls from other systems (inbound endpoints, trigger URLs) share: their bodies and headers. */

/**
 * Bodies an inbound endpoint takes: text of any structure (seed 000). A binary body (an image, a
 * zip) would reach the workflow mangled by UTF-8 decoding, so it is refused instead.
 */
const TEXT_SUBTYPES = new Set([
  "json",
  "xml",
  "x-www-form-urlencoded",
  "javascript",
  "ecmascript",
  "graphql",
  "x-ndjson",
  "ndjson",
  "csv",
  "yaml",
  "x-yaml",
]);

export function isTextContentType(header: string | undefined): boolean {
  if (header === undefined || header.trim() === "") return true;
  const [type = "", subtype = ""] = header.split(";")[0]!.trim().toLowerCase().split("/");
  return type === "text" || (type === "application" && (TEXT_SUBTYPES.has(subtype) || /\+(json|xml|yaml)$/.test(subtype)));
}

const readRaw = express.raw({ type: () => true, limit: INBOUND_MAX_BODY_BYTES, inflate: true });

/** Reads the body, no further than the limit: a Content-Length above it is refused before a byte is read. */
export function readBody(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    readRaw(req, res, (error?: unknown) => (error ? reject(error) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)))),
  );
}

export const isTooLarge = (error: unknown) => (error as { type?: unknown }).type === "entity.too.large";

export function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return pairs;
}
