import type { Schema } from "ajv";
import { iso } from "./timestamps.js";

export interface CreateTenantBody {
  name: string;
}

export const createTenantSchema: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" } },
};

export interface CreateApiKeyBody {
  name?: string;
  expires_at?: string;
}

export const createApiKeySchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 255 },
    expires_at: { type: "string", format: "date-time" },
  },
};

/** What the API-key presenter reads of a stored key (never its hash). */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface ApiKeyResponse {
  id: string;
  name: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export function presentApiKey(key: ApiKeyRecord): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    created_at: iso(key.createdAt),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
  };
}

/** A tenant as the admin API answers its creation: with its first API key, shown once. */
export interface CreatedTenantResponse {
  id: string;
  name: string;
  api_key: string;
  created_at: string;
}

export function presentCreatedTenant(
  tenant: { readonly id: string; readonly name: string; readonly createdAt: Date },
  apiKey: string,
): CreatedTenantResponse {
  return { id: tenant.id, name: tenant.name, api_key: apiKey, created_at: iso(tenant.createdAt) };
}

/** A tenant as the admin's list shows it. */
export interface TenantResponse {
  id: string;
  name: string;
  created_at: string;
}

export function presentTenant(tenant: { readonly id: string; readonly name: string; readonly createdAt: Date }): TenantResponse {
  return { id: tenant.id, name: tenant.name, created_at: iso(tenant.createdAt) };
}
