import type { Schema } from "ajv";

export const MAX_TIMEOUT_SECONDS = 60;
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const MAX_CUSTOM_HEADERS = 20;

/**
 * Headers the engine sets itself on every delivery; an endpoint may not override them, or
 * receivers could not trust the signature or parse the body.
 */
export const RESERVED_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "host",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
];

const name = { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" };
const url = { type: "string", maxLength: 2048, format: "http-url" };
const secret = { type: "string", maxLength: 256, format: "webhook-secret" };
const headersJson = {
  type: "object",
  maxProperties: MAX_CUSTOM_HEADERS,
  propertyNames: { maxLength: 64, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
  additionalProperties: { type: "string", maxLength: 1024, pattern: "^[^\\r\\n\\u0000]*$" },
};
const timeoutSeconds = { type: "integer", minimum: 1, maximum: MAX_TIMEOUT_SECONDS };

export interface CreateEndpointBody {
  name: string;
  url: string;
  secret?: string;
  headers_json?: Record<string, string>;
  timeout_seconds?: number;
}

export const createEndpointSchema: Schema = {
  type: "object",
  required: ["name", "url"],
  additionalProperties: false,
  properties: { name, url, secret, headers_json: headersJson, timeout_seconds: timeoutSeconds },
};

export interface UpdateEndpointBody {
  name?: string;
  url?: string;
  secret?: string;
  headers_json?: Record<string, string>;
  timeout_seconds?: number;
  status?: "ACTIVE" | "PAUSED";
}

export const updateEndpointSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    name,
    url,
    secret,
    headers_json: headersJson,
    timeout_seconds: timeoutSeconds,
    status: { type: "string", enum: ["ACTIVE", "PAUSED"] },
  },
};
