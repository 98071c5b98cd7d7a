import type { Schema } from "ajv";
import { MAX_TIMEOUT_SECONDS } from "./endpoint.schemas.js";

/** Momentus's default wait for a receiver (003), longer than the 10 s of /v1/endpoints. */
export const MOMENTUS_DEFAULT_TIMEOUT_SECONDS = 15;

export interface MomentusAuthentication {
  method?: "oauth";
  token_url?: string;
  client_id?: string;
  client_secret?: string;
  scope?: string | null;
}

export interface MomentusWebhookBody {
  name?: string;
  trigger_action?: string;
  url?: string;
  timeout?: number;
  secret_key?: string;
  asynchronous?: boolean;
  ignore_for_api?: boolean;
  active?: boolean;
  authentication?: MomentusAuthentication;
}

const text = { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" };
const authentication = (required: string[]) => ({
  type: "object",
  required,
  additionalProperties: false,
  properties: {
    // "Currently, only OAuth is supported" (003).
    method: { type: "string", enum: ["oauth"] },
    token_url: { type: "string", maxLength: 2048, format: "http-url" },
    client_id: text,
    client_secret: { type: "string", minLength: 1, maxLength: 1024 },
    scope: { type: ["string", "null"], maxLength: 1024 },
  },
});
const common = {
  name: text,
  url: { type: "string", maxLength: 2048, format: "http-url" },
  timeout: { type: "integer", minimum: 1, maximum: MAX_TIMEOUT_SECONDS },
  secret_key: { type: "string", maxLength: 256, format: "webhook-secret" },
  asynchronous: { type: "boolean" },
  ignore_for_api: { type: "boolean" },
  active: { type: "boolean" },
};

export const createMomentusWebhookSchema: Schema = {
  type: "object",
  required: ["name", "trigger_action", "url", "authentication"],
  additionalProperties: false,
  properties: {
    ...common,
    trigger_action: { type: "string", minLength: 1, maxLength: 128 },
    authentication: authentication(["method", "token_url", "client_id", "client_secret"]),
  },
};

export const updateMomentusWebhookSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { ...common, trigger_action: { type: "string" }, authentication: authentication([]) },
};
