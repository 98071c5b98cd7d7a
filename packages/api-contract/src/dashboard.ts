import type { Schema } from "ajv";

/** Signing in to the dashboard: with one of the tenant's API keys, or with the admin token. */
export type DashboardSignInBody = { api_key: string } | { admin_token: string };

/** Exactly one of the two. */
export const dashboardSignInSchema: Schema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    api_key: { type: "string", minLength: 1, maxLength: 200 },
    admin_token: { type: "string", minLength: 1, maxLength: 1000 },
  },
};

export interface DashboardSessionResponse {
  kind: "tenant" | "admin";
  tenant_id: string | null;
  /** Sent back in X-CSRF-Token by every request of the page that changes something. */
  csrf_token: string;
  expires_at: string;
}
