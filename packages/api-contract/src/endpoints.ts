import type { Schema } from "ajv";
import { MAX_ENDPOINT_TIMEOUT_SECONDS } from "@hookline/core";
import { iso } from "./timestamps.js";

/** `/v1/endpoints`, as seed 002 specifies it, with Hookline's additions (rotation, recovery). */

export const MAX_TIMEOUT_SECONDS = MAX_ENDPOINT_TIMEOUT_SECONDS;
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

/**
 * The customer (`cus_…`) an endpoint of any flavour belongs to; null for none (on an update:
 * detaches it). An id the tenant has no customer for is 404, as any foreign id.
 */
export const endpointCustomerId = { type: ["string", "null"], maxLength: 64 };

/** `?customer_id=`: only the endpoints of that customer (every flavour's list takes it). */
export interface EndpointListQuery {
  customer_id?: string;
}

export const endpointListQuerySchema: Schema = {
  type: "object",
  properties: { customer_id: { type: "string", pattern: "^cus_[0-9a-f-]{36}$" } },
};

export interface CreateEndpointBody {
  name: string;
  url: string;
  secret?: string;
  headers_json?: Record<string, string>;
  timeout_seconds?: number;
  customer_id?: string | null;
  /** Deliveries carry a W3C `traceparent` header (the attempt's span) while Hookline's tracing is on. */
  send_traceparent?: boolean;
}

const sendTraceparent = { type: "boolean" };

export const createEndpointSchema: Schema = {
  type: "object",
  required: ["name", "url"],
  additionalProperties: false,
  properties: {
    name,
    url,
    secret,
    headers_json: headersJson,
    timeout_seconds: timeoutSeconds,
    customer_id: endpointCustomerId,
    send_traceparent: sendTraceparent,
  },
};

export interface UpdateEndpointBody {
  name?: string;
  url?: string;
  secret?: string;
  headers_json?: Record<string, string>;
  timeout_seconds?: number;
  status?: "ACTIVE" | "PAUSED";
  customer_id?: string | null;
  send_traceparent?: boolean;
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
    customer_id: endpointCustomerId,
    send_traceparent: sendTraceparent,
  },
};

export interface RecoverEndpointBody {
  since: string;
}

export const recoverEndpointSchema: Schema = {
  type: "object",
  required: ["since"],
  additionalProperties: false,
  properties: { since: { type: "string", format: "date-time" } },
};

/**
 * `POST /v1/endpoints/{id}/test`: an event to this endpoint alone. Without `event_type`, the first
 * subscribed type with a schema (data sampled from it), else `hookline.test`.
 */
export interface TestEventBody {
  event_type?: string;
  data?: Record<string, unknown>;
}

export const testEventSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { event_type: { type: "string", minLength: 1, maxLength: 128 }, data: { type: "object" } },
};

/** `POST /v1/endpoints/{id}/test`: the test event and its one delivery (202: the delivery is on its way, or held). */
export interface TestEventResponse {
  event_id: string;
  delivery_id: string;
  event_type: string;
}

export function presentTestEvent(sent: { event: { id: string; eventType: string }; deliveryId: string }): TestEventResponse {
  return { event_id: sent.event.id, delivery_id: sent.deliveryId, event_type: sent.event.eventType };
}

/** How long a replaced secret keeps signing after a rotation, unless the request says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

export interface RotateSecretBody {
  secret?: string;
  grace_period_seconds?: number;
}

export const rotateSecretSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { secret, grace_period_seconds: { type: "integer", minimum: 0, maximum: MAX_ROTATION_GRACE_SECONDS } },
};

export type DeliveryStatus = "pending" | "held" | "succeeded" | "failed";

export interface EndpointDeliveriesQuery {
  status?: DeliveryStatus;
}

export const endpointDeliveriesQuerySchema: Schema = {
  type: "object",
  properties: { status: { type: "string", enum: ["pending", "held", "succeeded", "failed"] } },
};

export type EndpointStatus = "ACTIVE" | "PAUSED" | "DISABLED" | "INACTIVE";

/** What the endpoint presenter reads of a stored endpoint. */
export interface EndpointRecord {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly headersJson: unknown;
  readonly timeoutSeconds: number;
  readonly status: EndpointStatus;
  readonly pausedAt: Date | null;
  readonly disabledAt: Date | null;
  readonly disabledReason: string | null;
  readonly customerId: string | null;
  readonly sendTraceparent: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EndpointResponse {
  id: string;
  name: string;
  url: string;
  headers_json: unknown;
  timeout_seconds: number;
  status: EndpointStatus;
  paused_at: string | null;
  /** Only on a DISABLED endpoint, so the shape of 002 stays exact for ACTIVE and PAUSED ones. */
  disabled_at?: string | null;
  disabled_reason?: string | null;
  /** Only on an endpoint of a customer, so the shape of 002 stays exact for the others. */
  customer_id?: string;
  /** Only when true: deliveries carry a W3C `traceparent` header while tracing is on (absent otherwise, as in 002). */
  send_traceparent?: boolean;
  created_at: string;
  updated_at: string;
}

/** The endpoint as 002 specifies it. The secret is write-only here; GET …/secret returns it. */
export function presentEndpoint(endpoint: EndpointRecord): EndpointResponse {
  return {
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    headers_json: endpoint.headersJson,
    timeout_seconds: endpoint.timeoutSeconds,
    status: endpoint.status,
    paused_at: iso(endpoint.pausedAt),
    ...(endpoint.status === "DISABLED" && { disabled_at: iso(endpoint.disabledAt), disabled_reason: endpoint.disabledReason }),
    ...(endpoint.customerId !== null && { customer_id: endpoint.customerId }),
    ...(endpoint.sendTraceparent && { send_traceparent: true }),
    created_at: iso(endpoint.createdAt),
    updated_at: iso(endpoint.updatedAt),
  };
}

export interface RotatedSecretResponse {
  secret: string;
  previous_secret_expires_at: string | null;
}
