import type { Schema } from "ajv";
import { iso } from "../timestamps.js";
import { triggerUrl } from "./integrations.js";

/** `/v1/instances`: an integration version deployed to a customer. */

const configValue = {
  oneOf: [
    { type: "string", maxLength: 32 * 1024 },
    {
      type: "object",
      required: ["value"],
      additionalProperties: false,
      properties: { value: { type: "string", maxLength: 32 * 1024 }, secret: { type: "boolean" } },
    },
  ],
};
const config = {
  type: "object",
  maxProperties: 200,
  propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$" },
  additionalProperties: configValue,
};
const apiKeys = {
  type: "object",
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 100 },
  additionalProperties: {
    type: "array",
    maxItems: 10,
    uniqueItems: true,
    items: { type: "string", minLength: 16, maxLength: 256, pattern: "^\\S+$" },
  },
};

export type ConfigValueBody = string | { value: string; secret?: boolean };

export interface DeployInstanceBody {
  integration_id: string;
  version: number;
  customer_id: string;
  /** The customer's config variables (`env` in its flows); `{ value, secret: true }` seals one. */
  config?: Record<string, ConfigValueBody>;
  /** Keys for flows secured by the customer; none given for a flow that needs no `required` one: one is generated. */
  api_keys?: Record<string, string[]>;
}

export const deployInstanceSchema: Schema = {
  type: "object",
  required: ["integration_id", "version", "customer_id"],
  additionalProperties: false,
  properties: {
    integration_id: { type: "string", maxLength: 64 },
    version: { type: "integer", minimum: 1 },
    customer_id: { type: "string", maxLength: 64 },
    config,
    api_keys: apiKeys,
  },
};

export interface UpdateInstanceBody {
  /** Upgrade (or downgrade) to another published version. */
  version?: number;
  /** Replaces the config as a whole. */
  config?: Record<string, ConfigValueBody>;
}

export const updateInstanceSchema: Schema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: { version: { type: "integer", minimum: 1 }, config },
};

export interface InstanceRecord {
  readonly id: string;
  readonly integrationId: string;
  readonly customerId: string;
  readonly version: number;
  /** Secret values are null. */
  readonly config: Record<string, { readonly value: string | null; readonly secret: boolean }>;
  /** The instance's own token (instance-specific configuration). */
  readonly token: string | null;
  /** Every flow, with its token for an instance-and-flow configuration. */
  readonly flows: readonly { readonly name: string; readonly token: string | null }[];
  readonly apiKeys: Record<string, readonly string[]>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface InstanceResponse {
  id: string;
  integration_id: string;
  customer_id: string;
  version: number;
  config: Record<string, { value: string | null; secret: boolean }>;
  /** For an instance-specific configuration. */
  url?: string;
  /** Each flow; `url` for an instance-and-flow configuration. */
  flows: { name: string; url?: string }[];
  /** The keys that open each flow secured by the customer (`Api-Key` header). */
  api_keys: Record<string, string[]>;
  created_at: string;
  updated_at: string;
}

export function presentInstance(instance: InstanceRecord, baseUrl: string): InstanceResponse {
  return {
    id: instance.id,
    integration_id: instance.integrationId,
    customer_id: instance.customerId,
    version: instance.version,
    config: Object.fromEntries(
      Object.entries(instance.config).map(([name, entry]) => [name, { value: entry.value, secret: entry.secret }]),
    ),
    ...(instance.token !== null && { url: triggerUrl(baseUrl, instance.token) }),
    flows: instance.flows.map((flow) => ({ name: flow.name, ...(flow.token !== null && { url: triggerUrl(baseUrl, flow.token) }) })),
    api_keys: Object.fromEntries(Object.entries(instance.apiKeys).map(([flow, keys]) => [flow, [...keys]])),
    created_at: iso(instance.createdAt),
    updated_at: iso(instance.updatedAt),
  };
}
