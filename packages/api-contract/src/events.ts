import type { Schema } from "ajv";
import { presentDelivery, type DeliveryRecord, type DeliveryResponse } from "./deliveries.js";
import { createdWindowProperties, type CreatedWindowQuery } from "./lists.js";
import { iso } from "./timestamps.js";

export interface PublishEventBody {
  event_type: string;
  data: Record<string, unknown>;
  object_id?: string;
  idempotency_key?: string;
  origin?: string;
  /** The customer it is for (`cus_…`): it reaches only that customer's endpoints. */
  customer_id?: string;
  /** Or the customer by the tenant's own id for it; not both (400). */
  customer_external_id?: string;
}

export const publishEventSchema: Schema = {
  type: "object",
  required: ["event_type", "data"],
  additionalProperties: false,
  properties: {
    event_type: { type: "string", minLength: 1, maxLength: 128 },
    data: { type: "object" },
    object_id: { type: "string", minLength: 1, maxLength: 255 },
    idempotency_key: { type: "string", minLength: 1, maxLength: 255 },
    origin: { type: "string", pattern: "^[a-z0-9_-]{1,32}$" },
    customer_id: { type: "string", minLength: 1, maxLength: 64 },
    customer_external_id: { type: "string", minLength: 1, maxLength: 255 },
  },
};

/** Events one batch may carry; with 1 KiB events that is well under the default body limit. */
export const MAX_BATCH_EVENTS = 500;

export interface PublishBatchBody {
  events: PublishEventBody[];
}

export const publishBatchSchema: Schema = {
  type: "object",
  required: ["events"],
  additionalProperties: false,
  properties: { events: { type: "array", minItems: 1, maxItems: MAX_BATCH_EVENTS, items: publishEventSchema } },
};

/** What the event presenter reads of a stored event. */
export interface EventRecord {
  readonly id: string;
  readonly eventType: string;
  readonly objectId: string | null;
  readonly data: unknown;
  readonly customerId: string | null;
  readonly createdAt: Date;
}

/** An event as `GET /v1/events` lists it: with its data, without its deliveries. */
export interface EventSummaryResponse {
  id: string;
  event_type: string;
  object_id: string | null;
  data: unknown;
  /** Only on an event published for a customer. */
  customer_id?: string;
  created_at: string;
}

export interface EventResponse extends EventSummaryResponse {
  deliveries: DeliveryResponse[];
}

export function presentEventSummary(event: EventRecord): EventSummaryResponse {
  return {
    id: event.id,
    event_type: event.eventType,
    object_id: event.objectId,
    data: event.data,
    ...(event.customerId !== null && { customer_id: event.customerId }),
    created_at: iso(event.createdAt),
  };
}

export function presentEvent(event: EventRecord & { readonly deliveries: readonly DeliveryRecord[] }): EventResponse {
  return { ...presentEventSummary(event), deliveries: event.deliveries.map(presentDelivery) };
}

/**
 * `GET /v1/events` filters. `event_type` is a type's name, or a prefix ending in `.*`
 * (`invoice.*` is every type starting `invoice.`); no other wildcard. Newest first, paged.
 */
export interface EventListQuery extends CreatedWindowQuery {
  event_type?: string;
  object_id?: string;
}

export const eventListQuerySchema: Schema = {
  type: "object",
  properties: {
    event_type: { type: "string", maxLength: 128, pattern: "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?$" },
    object_id: { type: "string", minLength: 1, maxLength: 255, pattern: "^[^\\u0000]+$" },
    ...createdWindowProperties,
  },
};

/** What `POST /v1/events` answers for one event (and the batch for each). */
export interface PublishedEventResponse {
  id: string;
  event_type: string;
  /** Only on an event published for a customer. */
  customer_id?: string;
  created_at: string;
  /** How many endpoints it fanned out to. */
  deliveries: number;
  /** The first attempt of each synchronous webhook, made before the answer. */
  synchronous?: SynchronousOutcome[];
}

export interface SynchronousOutcome {
  delivery_id: string;
  endpoint_id: string;
  /** succeeded, pending (will be retried on schedule), failed, or held (endpoint not active). */
  status: "succeeded" | "pending" | "failed" | "held" | "skipped";
  status_code: number | null;
  duration_ms: number | null;
  error_kind: string | null;
  response_body: string | null;
}

/** The answer for an event as publishing left it (`deliveries` counts its endpoints). */
export function presentPublished(event: EventRecord, deliveries: number): PublishedEventResponse {
  return {
    id: event.id,
    event_type: event.eventType,
    ...(event.customerId !== null && { customer_id: event.customerId }),
    created_at: iso(event.createdAt),
    deliveries,
  };
}
