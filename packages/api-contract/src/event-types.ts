import type { Schema } from "ajv";
import { BUILTIN_EVENT_TYPES, type BuiltinEventType } from "@hookline/core";
import { iso } from "./timestamps.js";

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

/** What the event-type presenter reads of a registered type. */
export interface EventTypeRecord {
  readonly name: string;
  readonly description: string;
  readonly schema: unknown;
  readonly deprecated: boolean;
  readonly archived: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
export interface EventTypeResponse {
  name: string;
  description: string;
  schema: unknown;
  deprecated: boolean;
  archived: boolean;
  builtin: boolean;
  created_at: string | null;
  updated_at: string | null;
}

export function presentEventType(type: EventTypeRecord): EventTypeResponse {
  return {
    name: type.name,
    description: type.description,
    schema: type.schema,
    deprecated: type.deprecated,
    archived: type.archived,
    builtin: false,
    created_at: iso(type.createdAt),
    updated_at: iso(type.updatedAt),
  };
}

export function presentBuiltinEventType(name: BuiltinEventType): EventTypeResponse {
  const { description, schema } = BUILTIN_EVENT_TYPES[name];
  return { name, description, schema, deprecated: false, archived: false, builtin: true, created_at: null, updated_at: null };
}
