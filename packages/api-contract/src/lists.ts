import type { Schema } from "ajv";

/**
 * Lists answer with a bare JSON array in creation order, at most `limit` items; when more follow,
 * the response carries `Link: <…>; rel="next"` and `X-Next-Cursor`, and `cursor` asks for the
 * next page. Cursors are opaque.
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export interface ListQuery {
  limit?: string;
  cursor?: string;
}

export const listQuerySchema: Schema = {
  type: "object",
  properties: {
    limit: { type: "string", pattern: "^[0-9]{1,3}$" },
    cursor: { type: "string", maxLength: 512 },
  },
};

/** `since` and `until` of the lists that take a time window: bounds on `created_at`, both inclusive. */
export interface CreatedWindowQuery {
  since?: string;
  until?: string;
}

export const createdWindowProperties = {
  since: { type: "string", format: "date-time" },
  until: { type: "string", format: "date-time" },
} as const;
