import type { Schema } from "ajv";

/** How the tenant's customer portal looks, and which sites may embed it in a frame. */
export interface PortalSettingsBody {
  name?: string | null;
  logo_url?: string | null;
  accent_color?: string | null;
  frame_ancestors?: string[];
}

/** A tenant's own settings (`/v1/settings`). */
export interface SettingsBody {
  strict_event_types?: boolean;
  portal?: PortalSettingsBody;
}

/**
 * An origin a Content-Security-Policy `frame-ancestors` can name: scheme, host (optionally
 * `*.` for subdomains) and port. Nothing else, so a setting can never add a directive.
 */
export const FRAME_ANCESTOR_PATTERN = "^https?://(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$";

export const updateSettingsSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    strict_event_types: { type: "boolean" },
    portal: {
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: ["string", "null"], minLength: 1, maxLength: 100 },
        logo_url: { type: ["string", "null"], format: "http-url", maxLength: 2000 },
        accent_color: { type: ["string", "null"], pattern: "^#[0-9a-fA-F]{6}$" },
        frame_ancestors: {
          type: "array",
          maxItems: 20,
          uniqueItems: true,
          items: { type: "string", maxLength: 255, pattern: FRAME_ANCESTOR_PATTERN },
        },
      },
    },
  },
};

export interface PortalSettingsResponse {
  name: string | null;
  logo_url: string | null;
  accent_color: string | null;
  frame_ancestors: string[];
}

export interface SettingsResponse {
  strict_event_types: boolean;
  portal: PortalSettingsResponse;
}

/** What the settings presenter reads of a tenant. */
export interface SettingsRecord {
  readonly strictEventTypes: boolean;
  readonly portalName: string | null;
  readonly portalLogoUrl: string | null;
  readonly portalAccentColor: string | null;
  readonly portalFrameAncestors: readonly string[];
}

export function presentPortalSettings(settings: SettingsRecord): PortalSettingsResponse {
  return {
    name: settings.portalName,
    logo_url: settings.portalLogoUrl,
    accent_color: settings.portalAccentColor,
    frame_ancestors: [...settings.portalFrameAncestors],
  };
}

export function presentSettings(settings: SettingsRecord): SettingsResponse {
  return { strict_event_types: settings.strictEventTypes, portal: presentPortalSettings(settings) };
}
