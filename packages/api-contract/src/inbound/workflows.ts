import type { Schema } from "ajv";
import { iso } from "../timestamps.js";

/** `/v1/inbound_endpoints/{id}/workflow`: the code that answers an endpoint's calls, in versions. */

/** The largest workflow source accepted. */
export const MAX_WORKFLOW_SOURCE_BYTES = 256 * 1024;

export interface SaveWorkflowBody {
  /** TypeScript; saving it makes a new version. */
  code?: string;
  enabled?: boolean;
  /** Publish what this request saves (or, without `code`, the latest version) to live environments. */
  publish?: boolean;
}

export const saveWorkflowSchema: Schema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    code: { type: "string", minLength: 1, maxLength: MAX_WORKFLOW_SOURCE_BYTES },
    enabled: { type: "boolean" },
    publish: { type: "boolean" },
  },
};

export interface PublishWorkflowBody {
  /** The version to publish; the latest when absent. */
  version?: number;
}

export const publishWorkflowSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { version: { type: "integer", minimum: 1 } },
};

export interface PreviewRequestBody {
  method?: string;
  /** The request path after the endpoint URL's base, like /orders/42; the endpoint's own path by default. */
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

export interface PreviewWorkflowBody {
  /** A preview environment of the tenant's; the first one when absent. */
  environment_id?: string;
  /** Code to try without saving it; the latest saved version when absent. */
  code?: string;
  request?: PreviewRequestBody;
}

const headerName = { maxLength: 256, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" };

export const previewWorkflowSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    environment_id: { type: "string", maxLength: 64 },
    code: { type: "string", minLength: 1, maxLength: MAX_WORKFLOW_SOURCE_BYTES },
    request: {
      type: "object",
      additionalProperties: false,
      properties: {
        method: { type: "string", enum: ["GET", "POST", "PUT", "DELETE", "PATCH"] },
        path: { type: "string", minLength: 1, maxLength: 2048, pattern: "^/" },
        query: { type: "object", maxProperties: 100, additionalProperties: { type: "string", maxLength: 4096 } },
        headers: {
          type: "object",
          maxProperties: 100,
          propertyNames: headerName,
          additionalProperties: { type: "string", maxLength: 8192, pattern: "^[^\\r\\n\\u0000]*$" },
        },
        body: { type: "string", maxLength: 1024 * 1024 },
      },
    },
  },
};

export interface WorkflowStateRecord {
  readonly endpointId: string;
  readonly enabled: boolean;
  readonly latestVersion: number | null;
  readonly publishedVersion: number | null;
  readonly latest: { readonly source: string; readonly createdAt: Date } | null;
}

export interface WorkflowResponse {
  endpoint_id: string;
  enabled: boolean;
  latest_version: number | null;
  published_version: number | null;
  /** The latest version's source (what preview environments run). */
  code: string | null;
  saved_at: string | null;
}

export function presentWorkflow(state: WorkflowStateRecord): WorkflowResponse {
  return {
    endpoint_id: state.endpointId,
    enabled: state.enabled,
    latest_version: state.latestVersion,
    published_version: state.publishedVersion,
    code: state.latest?.source ?? null,
    saved_at: state.latest ? iso(state.latest.createdAt) : null,
  };
}

export interface WorkflowVersionResponse {
  version: number;
  created_at: string;
  /** Only when one version is asked for. */
  code?: string;
}

export function presentWorkflowVersion(version: {
  readonly version: number;
  readonly createdAt: Date;
  readonly source?: string;
}): WorkflowVersionResponse {
  return { version: version.version, created_at: iso(version.createdAt), ...(version.source !== undefined && { code: version.source }) };
}
