import type { Schema } from "ajv";
import { INBOUND_METHODS, INBOUND_PATH_MAX_LENGTH, inboundPathProblem, type FieldProblem, type InboundMethod } from "@hookline/core";
import { iso } from "../timestamps.js";
import { brandIdsSchema, type EnvironmentKindName } from "./environments.js";

/** `/v1/inbound_endpoints`: endpoints other systems call, answered by the tenant's workflow. */

export type AccessLevelName = "secret_key" | "public_key" | "none";
export const ACCESS_LEVELS: readonly AccessLevelName[] = ["secret_key", "public_key", "none"];
/** Callers of an endpoint created without `access_level` need the secret key: closed unless opened. */
export const DEFAULT_ACCESS_LEVEL: AccessLevelName = "secret_key";
/** The header callers send their environment key in (seed 000). */
export const INBOUND_KEY_HEADER = "x-mos-key";
/** The largest body an inbound endpoint accepts (5 MB); one byte more is a 413. */
export const INBOUND_MAX_BODY_BYTES = 5 * 1024 * 1024;

const name = { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" };
const description = { type: ["string", "null"], maxLength: 2000 };
const path = { type: "string", minLength: 1, maxLength: INBOUND_PATH_MAX_LENGTH };
const method = { type: "string", enum: [...INBOUND_METHODS] };
const accessLevel = { type: "string", enum: [...ACCESS_LEVELS] };

export interface CreateInboundEndpointBody {
  name: string;
  description?: string | null;
  path: string;
  method: InboundMethod;
  access_level?: AccessLevelName;
  brand_ids?: string[];
}

export const createInboundEndpointSchema: Schema = {
  type: "object",
  required: ["name", "path", "method"],
  additionalProperties: false,
  properties: { name, description, path, method, access_level: accessLevel, brand_ids: brandIdsSchema },
};

export type UpdateInboundEndpointBody = Partial<CreateInboundEndpointBody>;

export const updateInboundEndpointSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { name, description, path, method, access_level: accessLevel, brand_ids: brandIdsSchema },
};

/** The path's own rules (segments, parameters), which a JSON Schema cannot say clearly. */
export function inboundPathProblems(body: { path?: string | undefined }): FieldProblem[] {
  if (body.path === undefined) return [];
  const problem = inboundPathProblem(body.path);
  return problem ? [{ field: "path", message: problem }] : [];
}

/** `/api/v1/envs/<environmentId>/endpoints/<path>`, exactly the seed's pattern. */
export function inboundUrl(baseUrl: string, environmentId: string, endpointPath: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/v1/envs/${environmentId}/endpoints${endpointPath}`;
}

export interface InboundEndpointRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly path: string;
  readonly method: InboundMethod;
  readonly accessLevel: AccessLevelName;
  readonly brandIds: readonly string[];
  readonly workflowEnabled: boolean;
  readonly latestVersion: number | null;
  readonly publishedVersion: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An environment, as far as an endpoint's URLs need it. */
export interface ServingEnvironment {
  readonly id: string;
  readonly kind: EnvironmentKindName;
  readonly brandIds: readonly string[];
}

export interface InboundEndpointUrl {
  environment_id: string;
  kind: EnvironmentKindName;
  url: string;
}

export interface InboundEndpointResponse {
  id: string;
  name: string;
  description: string | null;
  path: string;
  method: InboundMethod;
  access_level: AccessLevelName;
  brand_ids: string[];
  workflow: { enabled: boolean; latest_version: number | null; published_version: number | null };
  /** One URL per environment that serves the endpoint, preview and live. */
  urls: InboundEndpointUrl[];
  created_at: string;
  updated_at: string;
}

/** Served where it has no brands, or where the environment links one of its brands. */
function serves(environment: ServingEnvironment, endpoint: InboundEndpointRecord): boolean {
  return endpoint.brandIds.length === 0 || endpoint.brandIds.some((brand) => environment.brandIds.includes(brand));
}

export function presentInboundEndpoint(
  endpoint: InboundEndpointRecord,
  environments: readonly ServingEnvironment[],
  baseUrl: string,
): InboundEndpointResponse {
  return {
    id: endpoint.id,
    name: endpoint.name,
    description: endpoint.description,
    path: endpoint.path,
    method: endpoint.method,
    access_level: endpoint.accessLevel,
    brand_ids: [...endpoint.brandIds],
    workflow: { enabled: endpoint.workflowEnabled, latest_version: endpoint.latestVersion, published_version: endpoint.publishedVersion },
    urls: environments
      .filter((environment) => serves(environment, endpoint))
      .map((environment) => ({
        environment_id: environment.id,
        kind: environment.kind,
        url: inboundUrl(baseUrl, environment.id, endpoint.path),
      })),
    created_at: iso(endpoint.createdAt),
    updated_at: iso(endpoint.updatedAt),
  };
}
