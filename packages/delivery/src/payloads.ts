import type { EventForDelivery } from "./envelope.js";
import { envelope } from "./envelope.js";

export type PayloadFlavour = "standard" | "monite" | "momentus";

/** Monite's actions are verbs in the present: `entity.updated` is delivered as action `update`. */
const MONITE_ACTIONS: Record<string, string> = { created: "create", updated: "update", deleted: "delete" };

/**
 * The body of a delivery: the standard envelope, or Monite's `{ object_id, object_type, action,
 * name }` (001) for endpoints created through /v1/webhook_settings, whose `name` is the setting's.
 */
export function deliveryBody(flavour: PayloadFlavour, event: EventForDelivery & { objectId: string | null }, endpointName: string): string {
  if (flavour !== "monite") return envelope(event);
  const [objectType = "", action = ""] = event.eventType.split(".");
  return JSON.stringify({
    object_id: event.objectId,
    object_type: objectType,
    action: MONITE_ACTIONS[action] ?? action,
    name: endpointName,
  });
}
