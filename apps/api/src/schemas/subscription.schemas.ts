import type { Schema } from "ajv";

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
