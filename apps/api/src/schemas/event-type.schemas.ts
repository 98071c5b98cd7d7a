import type { Schema } from "ajv";

export interface EventTypeBody {
  name?: string;
  description?: string;
  schema?: Record<string, unknown> | boolean | null;
  deprecated?: boolean;
  archived?: boolean;
}

const fields = {
  description: { type: "string", maxLength: 2000 },
  schema: { type: ["object", "boolean", "null"] },
  deprecated: { type: "boolean" },
  archived: { type: "boolean" },
};

export const createEventTypeSchema: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: { type: "string", minLength: 1, maxLength: 128 }, ...fields },
};

export const updateEventTypeSchema: Schema = { type: "object", additionalProperties: false, properties: fields };

export interface SettingsBody {
  strict_event_types?: boolean;
}

export const updateSettingsSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { strict_event_types: { type: "boolean" } },
};
