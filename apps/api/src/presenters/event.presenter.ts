import type { EventWithDeliveries } from "@hookline/db";
import { presentDelivery, type DeliveryResponse } from "./delivery.presenter.js";
import { iso } from "./timestamps.js";

export interface EventResponse {
  id: string;
  event_type: string;
  object_id: string | null;
  data: unknown;
  created_at: string;
  deliveries: DeliveryResponse[];
}

export function presentEvent(event: EventWithDeliveries): EventResponse {
  return {
    id: event.id,
    event_type: event.eventType,
    object_id: event.objectId,
    data: event.data,
    created_at: iso(event.createdAt),
    deliveries: event.deliveries.map(presentDelivery),
  };
}
