import type { Schema } from "ajv";

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
