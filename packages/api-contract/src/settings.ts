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
  /** Days of history kept; null returns to the installation's default (RETENTION_DAYS). */
  retention_days?: number | null;
  portal?: PortalSettingsBody;
}

/**
 * An origin a Content-Security-Policy `frame-ancestors` can name: scheme, host (optionally
 * `*.` for subdomains) and port. Nothing else, so a setting can never add a directive.
 */
/** Ten years: the database's check on `tenants.retention_days` says the same. */
export const MAX_RETENTION_DAYS = 3650;

export const FRAME_ANCESTOR_PATTERN = "^https?://(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$";

export const updateSettingsSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    strict_event_types: { type: "boolean" },
    retention_days: { type: ["integer", "null"], minimum: 1, maximum: MAX_RETENTION_DAYS },
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
  /**
   * Days of history kept: events, finished deliveries with their attempts, and executions older
   * than this are purged in the background. Unfinished deliveries are kept however old.
   */
  retention_days: number;
  /** True when `retention_days` is the installation's default rather than the tenant's own. */
  retention_days_default: boolean;
  portal: PortalSettingsResponse;
}

/** What the settings presenter reads of a tenant. */
export interface SettingsRecord {
  readonly strictEventTypes: boolean;
  readonly retentionDays: number | null;
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

/** `defaultRetentionDays` is the installation's RETENTION_DAYS, for tenants without their own. */
export function presentSettings(settings: SettingsRecord, defaultRetentionDays: number): SettingsResponse {
  return {
    strict_event_types: settings.strictEventTypes,
    retention_days: settings.retentionDays ?? defaultRetentionDays,
    retention_days_default: settings.retentionDays === null,
    portal: presentPortalSettings(settings),
  };
}
