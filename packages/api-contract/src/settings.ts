import type { Schema } from "ajv";

/** A tenant's own settings (`/v1/settings`). */
export interface SettingsBody {
  strict_event_types?: boolean;
}

export const updateSettingsSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { strict_event_types: { type: "boolean" } },
};

export interface SettingsResponse {
  strict_event_types: boolean;
}

export function presentSettings(settings: { readonly strictEventTypes: boolean }): SettingsResponse {
  return { strict_event_types: settings.strictEventTypes };
}
