import type { Schema } from "ajv";
import { PORTAL_CAPABILITIES, PORTAL_TOKEN_MAX_SECONDS, type PortalCapability } from "@hookline/core";
import { iso } from "./timestamps.js";
import type { PortalSettingsResponse } from "./settings.js";

/** `POST /v1/customers/{id}/portal`: a link for one customer, for an hour unless asked otherwise. */
export interface CreatePortalTokenBody {
  /** Seconds, 60 to a week; an hour by default. */
  expires_in?: number;
  /** What the customer may do beyond reading; all three by default, `[]` for a read-only portal. */
  capabilities?: PortalCapability[];
}

export const createPortalTokenSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    expires_in: { type: "integer", minimum: 60, maximum: PORTAL_TOKEN_MAX_SECONDS },
    capabilities: { type: "array", uniqueItems: true, maxItems: PORTAL_CAPABILITIES.length, items: { enum: [...PORTAL_CAPABILITIES] } },
  },
};

export interface PortalTokenResponse {
  /** The portal page with the token in its fragment (never sent to a server by the browser). */
  url: string;
  token: string;
  expires_at: string;
  capabilities: PortalCapability[];
}

export function presentPortalToken(
  issued: { token: string; expiresAt: Date; capabilities: readonly PortalCapability[] },
  url: string,
): PortalTokenResponse {
  return { url, token: issued.token, expires_at: iso(issued.expiresAt), capabilities: [...issued.capabilities] };
}

export interface RevokedPortalTokensResponse {
  /** Live tokens that were ended. */
  revoked: number;
}

/** `GET /v1/portal`, asked with a portal token: who the portal is for, what it may do, how it looks. */
export interface PortalSessionResponse {
  customer: { id: string; name: string };
  capabilities: PortalCapability[];
  expires_at: string;
  branding: Omit<PortalSettingsResponse, "frame_ancestors">;
}
