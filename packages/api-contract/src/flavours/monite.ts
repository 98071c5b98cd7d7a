import type { Schema } from "ajv";
import { endpointCustomerId, type EndpointStatus } from "../endpoints.js";
import { iso } from "../timestamps.js";

/*
 * Monite's `webhook_settings` (seed 001), as an adapter over the one engine: a setting is an
 * endpoint of flavour `monite` with one subscription to its object type's events; its
 * deliveries carry Monite's body (the `monite` entry of the payload-shape registry).
 */

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
  /** Hookline's addition: the customer the setting belongs to (see endpoints). */
  customer_id?: string | null;
}

const properties = {
  object_type: { type: "string", maxLength: 64 },
  url: { type: "string", maxLength: 2048, format: "http-url" },
  name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" },
  customer_id: endpointCustomerId,
};

export const createWebhookSettingSchema: Schema = {
  type: "object",
  required: ["object_type", "url"],
  additionalProperties: false,
  properties,
};
export const updateWebhookSettingSchema: Schema = { type: "object", additionalProperties: false, properties };

/** What the setting presenter reads of a `monite` endpoint and its subscription. */
export interface WebhookSettingRecord {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly status: EndpointStatus;
  readonly customerId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly subscriptions: readonly { readonly eventTypes: readonly string[] }[];
}

export interface WebhookSettingResponse {
  id: string;
  object_type: string;
  url: string;
  name: string;
  status: EndpointStatus;
  /** Only on a setting of a customer, so the shape of 001 stays exact for the others. */
  customer_id?: string;
  created_at: string;
  updated_at: string;
}

export function presentWebhookSetting(setting: WebhookSettingRecord): WebhookSettingResponse {
  const eventType = setting.subscriptions[0]?.eventTypes[0] ?? "";
  return {
    id: setting.id,
    object_type: eventType.split(".")[0] ?? "",
    url: setting.url,
    name: setting.name,
    status: setting.status,
    ...(setting.customerId !== null && { customer_id: setting.customerId }),
    created_at: iso(setting.createdAt),
    updated_at: iso(setting.updatedAt),
  };
}
