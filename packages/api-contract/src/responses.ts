import type { ApiKeyResponse } from "./tenants.js";
import type { ExecutionResponse } from "./inbound/executions.js";
import type { WebhookSettingResponse } from "./flavours/monite.js";
import type { PublishedEventResponse } from "./events.js";

/** Answers that are not a resource of their own: named once, so the OpenAPI document can describe them. */

/** `GET /v1/endpoints/{id}/secret`, `GET /v1/webhook_settings/{id}/secret`. */
export interface SecretResponse {
  secret: string;
}

/** `GET /v1/webhooks/{id}/secret` (Momentus's name for it). */
export interface MomentusSecretResponse {
  secret_key: string;
}

/** `POST /v1/api_keys`: the key, shown this once. */
export interface CreatedApiKeyResponse extends ApiKeyResponse {
  api_key: string;
}

/** `POST /v1/webhook_settings`: the setting with its signing secret, shown at creation. */
export interface CreatedWebhookSettingResponse extends WebhookSettingResponse {
  secret: string;
}

/** `POST /v1/integrations/{id}/versions`. */
export interface PublishedVersionResponse {
  version: number;
  created_at: string;
}

/** A trigger call, stored and queued: its execution's id. */
export interface TriggerAcceptedResponse {
  execution_id: string;
}

/** `GET /v1/executions/{id}` for a call of an inbound endpoint. */
export type InboundExecutionResponse = { kind: "inbound" } & ExecutionResponse;

export interface HealthResponse {
  status: "ok";
}

export interface ReadinessResponse {
  status: "ready" | "unavailable";
  checks: Record<string, "ok" | "unavailable">;
  /** Why each unavailable dependency is: `"too many connections"`, `"connection refused"`, `"no answer within 1 s"`. */
  reasons?: Record<string, string>;
}

/** An OpenAPI 3.1 document (`GET /openapi.json`). */
export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, unknown>;
  [key: string]: unknown;
}

/** One event of `POST /v1/events/batch`: as `POST /v1/events` answers it, and whether its idempotency key replayed an earlier event. */
export interface BatchPublishedEventResponse extends PublishedEventResponse {
  replayed: boolean;
}

/** One `delivery` event of a listen stream: the signed request for the CLI to post to its local URL. */
export interface ListenRequestEvent {
  delivery_id: string;
  attempt_id: string;
  headers: Record<string, string>;
  body: string;
}
