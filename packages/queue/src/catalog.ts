/**
 * The job catalog: every queue and job Hookline uses, named once. Job payloads carry ids and a
 * version, never bodies or secrets; the row in Postgres is the truth and is re-read by the worker.
 */
export const QUEUES = {
  deliveries: "deliveries",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface DeliverJob {
  readonly v: 1;
  readonly deliveryId: string;
}

export const JOBS = {
  deliver: { queue: QUEUES.deliveries, name: "deliver" },
} as const;

export function parseDeliverJob(data: unknown): DeliverJob | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { v, deliveryId } = data as Record<string, unknown>;
  if (v !== 1 || typeof deliveryId !== "string" || deliveryId.length === 0) return undefined;
  return { v, deliveryId };
}
