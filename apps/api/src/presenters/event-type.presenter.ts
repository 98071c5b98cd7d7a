import { BUILTIN_EVENT_TYPES, type BuiltinEventType } from "@hookline/core";
import type { EventType } from "@hookline/db";
import { iso } from "./timestamps.js";

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

export function presentEventType(type: EventType): EventTypeResponse {
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
