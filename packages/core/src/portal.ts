/**
 * What a customer may do in the portal beyond reading its own endpoints, subscriptions,
 * deliveries and attempts (always allowed): change endpoints and subscriptions, see and rotate
 * signing secrets, send failed deliveries again.
 */
export const PORTAL_CAPABILITIES = ["manage_endpoints", "reveal_secrets", "retry"] as const;
export type PortalCapability = (typeof PORTAL_CAPABILITIES)[number];

/** A portal link lasts an hour unless the tenant asks otherwise, and a week at most. */
export const PORTAL_TOKEN_DEFAULT_SECONDS = 3600;
export const PORTAL_TOKEN_MAX_SECONDS = 7 * 24 * 3600;
