import type { Schema } from "ajv";

export interface PublishEventBody {
  event_type: string;
  data: Record<string, unknown>;
  object_id?: string;
  idempotency_key?: string;
  origin?: string;
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
