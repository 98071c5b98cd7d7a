import type { Schema } from "ajv";

/** The objects and events Monite notifies about (001), as Hookline event types `object.event`. */
export const MONITE_OBJECT_EVENTS = {
  role: ["created", "updated", "deleted"],
  entity: ["created", "updated"],
  comment: ["created", "updated"],
  entity_user: ["created", "updated", "deleted"],
  payment: ["created", "updated"],
} as const;

export type MoniteObjectType = keyof typeof MONITE_OBJECT_EVENTS;
export const MONITE_OBJECT_TYPES = Object.keys(MONITE_OBJECT_EVENTS) as MoniteObjectType[];

export function moniteEventTypes(objectType: MoniteObjectType): string[] {
  return MONITE_OBJECT_EVENTS[objectType].map((event) => `${objectType}.${event}`);
}

export interface WebhookSettingBody {
  object_type?: string;
  url?: string;
  name?: string;
}

const properties = {
  object_type: { type: "string", maxLength: 64 },
  url: { type: "string", maxLength: 2048, format: "http-url" },
  name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" },
};

export const createWebhookSettingSchema: Schema = {
  type: "object",
  required: ["object_type", "url"],
  additionalProperties: false,
  properties,
};
export const updateWebhookSettingSchema: Schema = { type: "object", additionalProperties: false, properties };
