/** The JSON body every receiver gets: the event, wrapped the same way for every API flavour. */
export interface EventForDelivery {
  readonly id: string;
  readonly eventType: string;
  readonly createdAt: Date;
  readonly data: unknown;
}

export function envelope(event: EventForDelivery): string {
  return JSON.stringify({ id: event.id, type: event.eventType, timestamp: event.createdAt.toISOString(), data: event.data });
}

export const USER_AGENT = "Hookline-Webhooks/0.1";
