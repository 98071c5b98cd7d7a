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
} as const;

export type BuiltinEventType = keyof typeof BUILTIN_EVENT_TYPES;

export function isBuiltinEventType(name: string): name is BuiltinEventType {
  return Object.hasOwn(BUILTIN_EVENT_TYPES, name);
}
