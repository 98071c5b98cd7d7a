import type { Schema } from "ajv";
import { iso } from "../timestamps.js";

/** `/v1/environments`: where inbound endpoints are served, each with its keys and variables. */

const name = { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" };
/** Brands one environment or endpoint may link to. */
export const MAX_LINKED_BRANDS = 50;
export const brandIdsSchema = { type: "array", maxItems: MAX_LINKED_BRANDS, uniqueItems: true, items: { type: "string", maxLength: 64 } };

export type EnvironmentKindName = "preview" | "live";

export interface CreateEnvironmentBody {
  name: string;
  kind: EnvironmentKindName;
  brand_ids?: string[];
}

export const createEnvironmentSchema: Schema = {
  type: "object",
  required: ["name", "kind"],
  additionalProperties: false,
  properties: { name, kind: { type: "string", enum: ["preview", "live"] }, brand_ids: brandIdsSchema },
};

export interface UpdateEnvironmentBody {
  name?: string;
  brand_ids?: string[];
}

export const updateEnvironmentSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { name, brand_ids: brandIdsSchema },
};

export interface RotateKeysBody {
  /** Which key to replace; both when absent. */
  key?: "secret_key" | "public_key";
}

export const rotateKeysSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { key: { type: "string", enum: ["secret_key", "public_key"] } },
};

/** A variable's name: what a workflow reads as `env.NAME`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Names Hookline sets itself in every workflow's `env`. */
export const RESERVED_VARIABLES = ["ENVIRONMENT", "ENVIRONMENT_ID", "ENDPOINT_ID"] as const;
export const MAX_VARIABLE_BYTES = 32 * 1024;

export interface PutVariableBody {
  value: string;
  secret?: boolean;
}

export const putVariableSchema: Schema = {
  type: "object",
  required: ["value"],
  additionalProperties: false,
  properties: { value: { type: "string", maxLength: MAX_VARIABLE_BYTES }, secret: { type: "boolean" } },
};

/** Why a name cannot be a variable's, or undefined when it can. */
export function variableNameProblem(variable: string): string | undefined {
  if (!VARIABLE_NAME.test(variable)) return "must be letters, digits and _, not starting with a digit, at most 128 characters";
  if ((RESERVED_VARIABLES as readonly string[]).includes(variable)) return `is set by Hookline (${RESERVED_VARIABLES.join(", ")})`;
  return undefined;
}

export interface EnvironmentRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: EnvironmentKindName;
  readonly brandIds: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EnvironmentResponse {
  id: string;
  name: string;
  kind: EnvironmentKindName;
  brand_ids: string[];
  created_at: string;
  updated_at: string;
}

export function presentEnvironment(environment: EnvironmentRecord): EnvironmentResponse {
  return {
    id: environment.id,
    name: environment.name,
    kind: environment.kind,
    brand_ids: [...environment.brandIds],
    created_at: iso(environment.createdAt),
    updated_at: iso(environment.updatedAt),
  };
}

export interface EnvironmentKeysResponse {
  secret_key: string;
  public_key: string;
}

export function presentEnvironmentKeys(keys: { readonly secretKey: string; readonly publicKey: string }): EnvironmentKeysResponse {
  return { secret_key: keys.secretKey, public_key: keys.publicKey };
}

export interface VariableRecord {
  readonly name: string;
  readonly secret: boolean;
  readonly value: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface VariableResponse {
  name: string;
  secret: boolean;
  /** Null for a secret variable: its value is never shown again. */
  value: string | null;
  created_at: string;
  updated_at: string;
}

export function presentVariable(variable: VariableRecord): VariableResponse {
  return {
    name: variable.name,
    secret: variable.secret,
    value: variable.secret ? null : variable.value,
    created_at: iso(variable.createdAt),
    updated_at: iso(variable.updatedAt),
  };
}
