import type { Schema } from "ajv";
import { endpointCustomerId, MAX_TIMEOUT_SECONDS, type EndpointStatus } from "../endpoints.js";
import { iso } from "../timestamps.js";

/*
 * Momentus Connect's webhooks (seed 003), as an adapter over the one engine: a webhook is an
 * endpoint of flavour `momentus` whose name is unique per tenant, with one subscription to its
 * trigger action; synchronous delivery, ignore-for-API and OAuth are the engine's own features.
 */

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
  /** Hookline's addition: the customer the webhook belongs to (see endpoints). */
  customer_id?: string | null;
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
  customer_id: endpointCustomerId,
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

/** What the webhook presenter reads of a `momentus` endpoint and its subscription. */
export interface MomentusWebhookRecord {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly timeoutSeconds: number;
  readonly asynchronous: boolean;
  readonly ignoreForApi: boolean;
  readonly status: EndpointStatus;
  readonly oauthTokenUrl: string | null;
  readonly oauthClientId: string | null;
  readonly oauthScope: string | null;
  readonly customerId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly subscriptions: readonly { readonly eventTypes: readonly string[] }[];
}

export interface MomentusWebhookResponse {
  id: string;
  name: string;
  trigger_action: string | null;
  url: string;
  timeout: number;
  asynchronous: boolean;
  ignore_for_api: boolean;
  active: boolean;
  status: EndpointStatus;
  authentication: { method: "oauth"; token_url: string | null; client_id: string | null; scope: string | null };
  /** Only on a webhook of a customer, so the shape of 003 stays exact for the others. */
  customer_id?: string;
  created_at: string;
  updated_at: string;
}

export function presentMomentusWebhook(webhook: MomentusWebhookRecord): MomentusWebhookResponse {
  return {
    id: webhook.id,
    name: webhook.name,
    trigger_action: webhook.subscriptions[0]?.eventTypes[0] ?? null,
    url: webhook.url,
    timeout: webhook.timeoutSeconds,
    asynchronous: webhook.asynchronous,
    ignore_for_api: webhook.ignoreForApi,
    active: webhook.status !== "INACTIVE",
    status: webhook.status,
    // The client secret and the signing secret are write-only; GET …/secret returns the latter.
    authentication: { method: "oauth", token_url: webhook.oauthTokenUrl, client_id: webhook.oauthClientId, scope: webhook.oauthScope },
    ...(webhook.customerId !== null && { customer_id: webhook.customerId }),
    created_at: iso(webhook.createdAt),
    updated_at: iso(webhook.updatedAt),
  };
}
