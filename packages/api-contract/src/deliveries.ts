import type { DeliveryStatus } from "./endpoints.js";
import type { Schema } from "ajv";
import { createdWindowProperties, type CreatedWindowQuery } from "./lists.js";
import { iso } from "./timestamps.js";

/** What the delivery presenter reads of a stored delivery. */
export interface DeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly status: DeliveryStatus;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly completedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What the attempt presenter reads of a stored attempt. */
export interface AttemptRecord {
  readonly id: string;
  readonly attemptNumber: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly errorKind: string | null;
  readonly errorMessage: string | null;
  readonly responseHeaders: unknown;
  readonly responseBody: string | null;
}

export interface DeliveryResponse {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A delivery's id is also the `webhook-id` header every attempt of it carried. */
export function presentDelivery(delivery: DeliveryRecord): DeliveryResponse {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    endpoint_id: delivery.endpointId,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: iso(delivery.nextAttemptAt),
    last_attempt_at: iso(delivery.lastAttemptAt),
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    completed_at: iso(delivery.completedAt),
    created_at: iso(delivery.createdAt),
    updated_at: iso(delivery.updatedAt),
  };
}

export interface AttemptResponse {
  id: string;
  attempt_number: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error_kind: string | null;
  error_message: string | null;
  response_headers: unknown;
  response_body: string | null;
}

export function presentAttempt(attempt: AttemptRecord): AttemptResponse {
  return {
    id: attempt.id,
    attempt_number: attempt.attemptNumber,
    started_at: iso(attempt.startedAt),
    duration_ms: attempt.durationMs,
    status_code: attempt.statusCode,
    error_kind: attempt.errorKind,
    error_message: attempt.errorMessage,
    response_headers: attempt.responseHeaders,
    response_body: attempt.responseBody,
  };
}

export type DeliveryWithAttemptsResponse = DeliveryResponse & { attempts: AttemptResponse[] };

export function presentDeliveryWithAttempts(
  delivery: DeliveryRecord & { readonly attempts: readonly AttemptRecord[] },
): DeliveryWithAttemptsResponse {
  return { ...presentDelivery(delivery), attempts: delivery.attempts.map(presentAttempt) };
}

/** `GET /v1/deliveries` filters, each narrowing the list. Newest first, paged. */
export interface DeliveryListQuery extends CreatedWindowQuery {
  status?: DeliveryStatus;
  endpoint_id?: string;
  event_id?: string;
}

export const deliveryListQuerySchema: Schema = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["pending", "held", "succeeded", "failed"] },
    endpoint_id: { type: "string", maxLength: 64 },
    event_id: { type: "string", maxLength: 64 },
    ...createdWindowProperties,
  },
};
