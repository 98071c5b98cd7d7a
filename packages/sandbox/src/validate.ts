import type { WorkflowResponse } from "./types.js";

/** RFC 9110 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 field value: visible ASCII, obs-text, spaces and tabs inside; no CR, LF or NUL. */
const FIELD_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;
/**
 * Framing and connection headers belong to the server that sends the response, not to the
 * workflow: a wrong content-length or transfer-encoding would break the HTTP exchange.
 */
const DROPPED = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "upgrade",
  "te",
  "trailer",
]);
export const MAX_RESPONSE_HEADERS = 100;
export const MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

/** What the prelude's extraction hands the host, read field by field from a null-prototype record. */
export interface ExtractedResponse {
  status: unknown;
  headerText: unknown;
  bodyKind: unknown;
  /** A string, or the bytes copied out of an ArrayBuffer. */
  body: string | Uint8Array | undefined;
}

export type Validated = { ok: true; response: WorkflowResponse } | { ok: false; message: string };

/**
 * The last gate between the sandbox and Hookline: whatever the prelude says, only a status from
 * 200 to 599, headers HTTP allows and a body within responseBytes come out, as fresh objects.
 */
export function validateResponse(extracted: ExtractedResponse, responseBytes: number): Validated {
  const { status, headerText, bodyKind, body } = extracted;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    return { ok: false, message: "the response status must be an integer from 200 to 599" };
  }
  if (typeof headerText !== "string") return { ok: false, message: "the response headers could not be read" };
  const headers: [string, string][] = [];
  if (headerText !== "") {
    const parts = headerText.split("\n");
    if (parts.length % 2 !== 0) return { ok: false, message: "the response headers could not be read" };
    if (parts.length / 2 > MAX_RESPONSE_HEADERS)
      return { ok: false, message: `the response has more than ${MAX_RESPONSE_HEADERS} headers` };
    let size = 0;
    for (let i = 0; i < parts.length; i += 2) {
      const name = (parts[i] as string).toLowerCase();
      const value = parts[i + 1] as string;
      if (!TOKEN.test(name)) return { ok: false, message: `invalid response header name ${JSON.stringify(name.slice(0, 100))}` };
      if (!FIELD_VALUE.test(value)) return { ok: false, message: `invalid value for response header ${name}` };
      size += name.length + value.length + 4;
      if (DROPPED.has(name)) continue;
      headers.push([name, value]);
    }
    if (size > MAX_RESPONSE_HEADER_BYTES)
      return { ok: false, message: `the response headers are larger than ${MAX_RESPONSE_HEADER_BYTES} bytes` };
  }
  const tooLarge = `the response body is larger than the limit of ${responseBytes} bytes (responseBytes)`;
  if (bodyKind === "none") return { ok: true, response: { status, headers, body: "", bodyEncoding: "utf8" } };
  if (bodyKind === "text" && typeof body === "string") {
    if (Buffer.byteLength(body, "utf8") > responseBytes) return { ok: false, message: tooLarge };
    return { ok: true, response: { status, headers, body, bodyEncoding: "utf8" } };
  }
  if (bodyKind === "bytes" && body instanceof Uint8Array) {
    if (body.byteLength > responseBytes) return { ok: false, message: tooLarge };
    return { ok: true, response: { status, headers, body: Buffer.from(body).toString("base64"), bodyEncoding: "base64" } };
  }
  return { ok: false, message: "the response body could not be read" };
}

/** What the prelude's flow extraction hands the host: kind "undefined", or "json" with the text. */
export interface ExtractedFlowResult {
  kind: unknown;
  json: unknown;
}

export type ValidatedFlowResult = { ok: true; result: string | null } | { ok: false; message: string };

/**
 * The last gate for a flow's result: JSON text of at most responseBytes of UTF-8 that parses. The
 * prelude made it with the sandbox's own JSON.stringify (captured before tenant code ran), so it is
 * JSON by construction; parsing it again here costs little next to making it (a few ms for 5 MiB)
 * and means no failure of the prelude can hand the caller something that is not.
 */
export function validateFlowResult(extracted: ExtractedFlowResult, responseBytes: number): ValidatedFlowResult {
  const { kind, json } = extracted;
  if (kind === "undefined") return { ok: true, result: null };
  if (kind !== "json" || typeof json !== "string") return { ok: false, message: "the flow's result could not be read" };
  if (Buffer.byteLength(json, "utf8") > responseBytes) return { ok: false, message: flowResultTooLarge(responseBytes) };
  try {
    JSON.parse(json);
  } catch {
    return { ok: false, message: "the flow's result is not valid JSON" };
  }
  return { ok: true, result: json };
}

export const flowResultTooLarge = (responseBytes: number): string =>
  `the flow's result is larger than the limit of ${responseBytes} bytes of JSON (responseBytes)`;
