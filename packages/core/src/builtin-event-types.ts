/**
 * Event types Hookline publishes itself. Tenants subscribe to them like any other type; they
 * cannot publish them, so a receiver can trust that they come from the engine.
 */
export const BUILTIN_EVENT_TYPES = {
  "endpoint.disabled": {
    description: "An endpoint was disabled: it answered 410 Gone, or every attempt failed for the configured period.",
    schema: {
      type: "object",
      required: ["endpoint_id", "url", "reason", "disabled_at"],
      properties: {
        endpoint_id: { type: "string" },
        name: { type: "string" },
        url: { type: "string" },
        reason: { type: "string" },
        failing_since: { type: ["string", "null"] },
        disabled_at: { type: "string" },
      },
    },
  },
  "delivery.exhausted": {
    description: "A delivery failed for good: its retry schedule is used up, or the receiver answered 410 Gone.",
    schema: {
      type: "object",
      required: ["delivery_id", "event_id", "event_type", "endpoint_id", "attempts"],
      properties: {
        delivery_id: { type: "string" },
        event_id: { type: "string" },
        event_type: { type: "string" },
        endpoint_id: { type: "string" },
        attempts: { type: "integer" },
        last_status_code: { type: ["integer", "null"] },
        last_error: { type: ["string", "null"] },
      },
    },
  },
} as const;

export type BuiltinEventType = keyof typeof BUILTIN_EVENT_TYPES;

export function isBuiltinEventType(name: string): name is BuiltinEventType {
  return Object.hasOwn(BUILTIN_EVENT_TYPES, name);
}
