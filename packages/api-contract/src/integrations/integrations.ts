import type { Schema } from "ajv";
import type { EndpointConfig, EndpointConfigType, RequestField } from "@hookline/core";
import { iso } from "../timestamps.js";
import { MAX_WORKFLOW_SOURCE_BYTES } from "../inbound/workflows.js";

/** `/v1/integrations`: integrations the tenant builds for its customers (seed 004). */

export const MAX_FLOWS = 50;
const flowName = { type: "string", minLength: 1, maxLength: 100, pattern: "\\S" };
const headerName = { type: "string", minLength: 1, maxLength: 256, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" };
const payloadPath = { type: "string", minLength: 1, maxLength: 256, pattern: "^[^.]+(\\.[^.]+)*$" };
const requestField = { type: "object", additionalProperties: false, properties: { header: headerName, payload: payloadPath } };

export type FlowSecurityBody =
  { type: "none" } | { type: "customer"; required?: boolean } | { type: "organization"; organization_key: string };

export interface FlowBody {
  name: string;
  /** TypeScript: `export default async ({ request, env, utils, customer, flow }) => result`. */
  code: string;
  security?: FlowSecurityBody;
}

export interface EndpointConfigBody {
  type?: EndpointConfigType;
  flow_name?: RequestField;
  customer_external_id?: RequestField;
  preprocess_flow?: string;
  preprocess_result?: { flow_key?: string; customer_key?: string };
}

export interface IntegrationBody {
  name: string;
  flows: FlowBody[];
  endpoint_config?: EndpointConfigBody;
}

const security = {
  oneOf: [
    { type: "object", required: ["type"], additionalProperties: false, properties: { type: { const: "none" } } },
    {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      properties: { type: { const: "customer" }, required: { type: "boolean" } },
    },
    {
      type: "object",
      required: ["type", "organization_key"],
      additionalProperties: false,
      properties: {
        type: { const: "organization" },
        organization_key: { type: "string", minLength: 16, maxLength: 256, pattern: "^\\S+$" },
      },
    },
  ],
};

const flows = {
  type: "array",
  minItems: 1,
  maxItems: MAX_FLOWS,
  items: {
    type: "object",
    required: ["name", "code"],
    additionalProperties: false,
    properties: { name: flowName, code: { type: "string", minLength: 1, maxLength: MAX_WORKFLOW_SOURCE_BYTES }, security },
  },
};

const endpointConfig = {
  type: "object",
  additionalProperties: false,
  properties: {
    type: { type: "string", enum: ["instance_and_flow", "instance", "shared"] },
    flow_name: requestField,
    customer_external_id: requestField,
    preprocess_flow: flowName,
    preprocess_result: {
      type: "object",
      additionalProperties: false,
      properties: { flow_key: payloadPath, customer_key: payloadPath },
    },
  },
};

export const createIntegrationSchema: Schema = {
  type: "object",
  required: ["name", "flows"],
  additionalProperties: false,
  properties: { name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" }, flows, endpoint_config: endpointConfig },
};

export const updateIntegrationSchema: Schema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: { name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" }, flows, endpoint_config: endpointConfig },
};

/** The body's endpoint configuration in the stored shape (type `instance_and_flow` when absent). */
export function toEndpointConfig(body: EndpointConfigBody | undefined): EndpointConfig {
  return {
    type: body?.type ?? "instance_and_flow",
    ...(body?.flow_name && { flowName: body.flow_name }),
    ...(body?.customer_external_id && { customerExternalId: body.customer_external_id }),
    ...(body?.preprocess_flow !== undefined && { preprocessFlow: body.preprocess_flow }),
    ...(body?.preprocess_result && {
      preprocessResult: { flowKey: body.preprocess_result.flow_key, customerKey: body.preprocess_result.customer_key },
    }),
  };
}

export interface TestInvocationBody {
  /** For an instance-and-flow configuration with several flows: the flow whose URL is called. */
  flow?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Config variables of the test customer's instance for this run. */
  config?: Record<string, string>;
}

export const testInvocationSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    flow: flowName,
    method: { type: "string", enum: ["GET", "POST", "PUT", "DELETE", "PATCH"] },
    headers: {
      type: "object",
      maxProperties: 100,
      propertyNames: { maxLength: 256, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      additionalProperties: { type: "string", maxLength: 8192, pattern: "^[^\\r\\n\\u0000]*$" },
    },
    body: { type: "string", maxLength: 1024 * 1024 },
    config: { type: "object", maxProperties: 200, additionalProperties: { type: "string", maxLength: 32 * 1024 } },
  },
};

/** What the presenter reads of a stored flow (never its compiled code or a key's hash). */
export interface FlowView {
  readonly name: string;
  readonly source: string;
  readonly security:
    | { readonly type: "none" }
    | { readonly type: "customer"; readonly required: boolean }
    | { readonly type: "organization"; readonly organizationKey: string };
}

export interface IntegrationRecord {
  readonly id: string;
  readonly name: string;
  readonly flows: readonly FlowView[];
  readonly endpointConfig: EndpointConfig;
  readonly versions: readonly number[];
  /** The token of the integration's shared endpoint. */
  readonly sharedToken: string;
  /** Whether the draft or a published version uses a shared endpoint (then `shared_url` is shown). */
  readonly shared: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface FlowResponse {
  name: string;
  code: string;
  security: FlowSecurityBody;
}

export interface IntegrationResponse {
  id: string;
  name: string;
  /** The draft being edited; `versions` lists what was published of it. */
  flows: FlowResponse[];
  endpoint_config: EndpointConfigBody & { type: EndpointConfigType };
  versions: number[];
  /** Only when the draft or a published version has a shared endpoint configuration. */
  shared_url?: string;
  created_at: string;
  updated_at: string;
}

/** `/api/v1/trigger/<token>`: where other systems call an integration. */
export function triggerUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/v1/trigger/${token}`;
}

function presentConfig(config: EndpointConfig): IntegrationResponse["endpoint_config"] {
  return {
    type: config.type,
    ...(config.flowName && { flow_name: config.flowName }),
    ...(config.customerExternalId && { customer_external_id: config.customerExternalId }),
    ...(config.preprocessFlow !== undefined && { preprocess_flow: config.preprocessFlow }),
    ...(config.preprocessResult && {
      preprocess_result: {
        ...(config.preprocessResult.flowKey !== undefined && { flow_key: config.preprocessResult.flowKey }),
        ...(config.preprocessResult.customerKey !== undefined && { customer_key: config.preprocessResult.customerKey }),
      },
    }),
  };
}

export function presentIntegration(integration: IntegrationRecord, baseUrl: string): IntegrationResponse {
  return {
    id: integration.id,
    name: integration.name,
    flows: integration.flows.map((flow) => ({
      name: flow.name,
      code: flow.source,
      security:
        flow.security.type === "organization"
          ? { type: "organization", organization_key: flow.security.organizationKey }
          : flow.security.type === "customer"
            ? { type: "customer", required: flow.security.required }
            : { type: "none" },
    })),
    endpoint_config: presentConfig(integration.endpointConfig),
    versions: [...integration.versions],
    ...(integration.shared && { shared_url: triggerUrl(baseUrl, integration.sharedToken) }),
    created_at: iso(integration.createdAt),
    updated_at: iso(integration.updatedAt),
  };
}
