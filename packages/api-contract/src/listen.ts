import type { Schema } from "ajv";
import { EVENT_TYPE_MAX_SEGMENTS } from "@hookline/core";
import { iso } from "./timestamps.js";

/** `/v1/listen`: a temporary endpoint whose deliveries stream to `hookline listen` instead of a URL. */

/** Every event type: one `*` pattern per number of segments a type may have. */
export const ALL_EVENT_TYPES: readonly string[] = Array.from({ length: EVENT_TYPE_MAX_SEGMENTS - 1 }, (_, i) =>
  Array(i + 2)
    .fill("*")
    .join("."),
);

export interface CreateListenBody {
  /** Event types or patterns (`payment.*`); every event when absent. */
  event_types?: string[];
}

export const createListenSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { event_types: { type: "array", minItems: 1, maxItems: 50, items: { type: "string", minLength: 1, maxLength: 128 } } },
};

/** What the CLI reports of one delivery it posted to its local URL. */
export interface ListenResultBody {
  delivery_id: string;
  attempt_id: string;
  status_code?: number;
  headers?: Record<string, string>;
  body?: string;
  duration_ms: number;
  /** The local URL could not be reached: the attempt failed without a status. */
  error?: string;
}

export const listenResultSchema: Schema = {
  type: "object",
  required: ["delivery_id", "attempt_id", "duration_ms"],
  additionalProperties: false,
  properties: {
    delivery_id: { type: "string", minLength: 1, maxLength: 128 },
    attempt_id: { type: "string", minLength: 1, maxLength: 128 },
    status_code: { type: "integer", minimum: 100, maximum: 599 },
    headers: { type: "object", maxProperties: 100, additionalProperties: { type: "string", maxLength: 8192 } },
    body: { type: "string", maxLength: 65536 },
    duration_ms: { type: "integer", minimum: 0, maximum: 3_600_000 },
    error: { type: "string", maxLength: 1000 },
  },
};

export interface ListenSessionRecord {
  readonly id: string;
  readonly secret: string;
  readonly eventTypes: readonly string[];
  readonly createdAt: Date;
}

export interface ListenSessionResponse {
  /** The temporary endpoint's id (`ep_…`): its deliveries and attempts are those of any endpoint. */
  id: string;
  /** Signs every delivery, as for any endpoint: verify the local requests with it. */
  secret: string;
  event_types: string[];
  created_at: string;
}

export function presentListenSession(session: ListenSessionRecord): ListenSessionResponse {
  return { id: session.id, secret: session.secret, event_types: [...session.eventTypes], created_at: iso(session.createdAt) };
}
