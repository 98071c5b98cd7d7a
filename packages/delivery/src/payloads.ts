import type { EndpointFlavour } from "@hookline/core";
import { envelope, type EventForDelivery } from "./envelope.js";

/** What a payload shape may read of the event and its endpoint. */
export interface PayloadInput {
  readonly event: EventForDelivery & { readonly objectId: string | null };
  readonly endpointName: string;
}

/** Monite's actions are verbs in the present: `entity.updated` is delivered as action `update`. */
const MONITE_ACTIONS: Record<string, string> = { created: "create", updated: "update", deleted: "delete" };

/**
 * The payload-shape registry: the body a delivery carries, by the flavour of its endpoint (the
 * API that created it). Signing, retries, the attempt log and everything else are the same for
 * every flavour; an API flavour that needs a body of its own adds one entry here.
 */
export const PAYLOAD_SHAPES = {
  /** `/v1/endpoints`: the standard envelope `{ id, type, timestamp, data }`. */
  standard: ({ event }: PayloadInput) => envelope(event),
  /** Monite's `webhook_settings` (001): `{ object_id, object_type, action, name }`, `name` being the setting's. */
  monite: ({ event, endpointName }: PayloadInput) => {
    const [objectType = "", action = ""] = event.eventType.split(".");
    return JSON.stringify({
      object_id: event.objectId,
      object_type: objectType,
      action: MONITE_ACTIONS[action] ?? action,
      name: endpointName,
    });
  },
  /** Momentus webhooks (003): the standard envelope. */
  momentus: ({ event }: PayloadInput) => envelope(event),
  /** `hookline listen`: the standard envelope, as a real endpoint would get it. */
  listen: ({ event }: PayloadInput) => envelope(event),
} as const satisfies Record<EndpointFlavour, (input: PayloadInput) => string>;

export type PayloadFlavour = keyof typeof PAYLOAD_SHAPES;

/** The body of a delivery to an endpoint of this flavour. */
export function deliveryBody(flavour: PayloadFlavour, input: PayloadInput): string {
  return PAYLOAD_SHAPES[flavour](input);
}
