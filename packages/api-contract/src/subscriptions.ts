import type { Schema } from "ajv";
import { iso } from "./timestamps.js";

export const MAX_EVENT_TYPES = 100;

const eventTypes = {
  type: "array",
  minItems: 1,
  maxItems: MAX_EVENT_TYPES,
  uniqueItems: true,
  items: { type: "string", minLength: 1, maxLength: 128 },
};

export interface CreateSubscriptionBody {
  endpoint_id: string;
  event_types: string[];
}

export const createSubscriptionSchema: Schema = {
  type: "object",
  required: ["endpoint_id", "event_types"],
  additionalProperties: false,
  properties: { endpoint_id: { type: "string", minLength: 1, maxLength: 64 }, event_types: eventTypes },
};

export interface UpdateSubscriptionBody {
  endpoint_id?: string;
  event_types?: string[];
}

export const updateSubscriptionSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { endpoint_id: { type: "string", minLength: 1, maxLength: 64 }, event_types: eventTypes },
};

export interface SubscriptionListQuery {
  endpoint_id?: string;
}

export const subscriptionListQuerySchema: Schema = {
  type: "object",
  properties: { endpoint_id: { type: "string", pattern: "^ep_[0-9a-f-]{36}$" } },
};

/** What the subscription presenter reads of a stored subscription. */
export interface SubscriptionRecord {
  readonly id: string;
  readonly endpointId: string;
  readonly eventTypes: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SubscriptionResponse {
  id: string;
  endpoint_id: string;
  event_types: string[];
  created_at: string;
  updated_at: string;
}

export function presentSubscription(subscription: SubscriptionRecord): SubscriptionResponse {
  return {
    id: subscription.id,
    endpoint_id: subscription.endpointId,
    event_types: [...subscription.eventTypes],
    created_at: iso(subscription.createdAt),
    updated_at: iso(subscription.updatedAt),
  };
}
