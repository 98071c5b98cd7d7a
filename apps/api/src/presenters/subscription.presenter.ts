import type { Subscription } from "@hookline/db";
import { iso } from "./timestamps.js";

export function presentSubscription(subscription: Subscription) {
  return {
    id: subscription.id,
    endpoint_id: subscription.endpointId,
    event_types: subscription.eventTypes,
    created_at: iso(subscription.createdAt),
    updated_at: iso(subscription.updatedAt),
  };
}
