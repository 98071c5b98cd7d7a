import type { Endpoint } from "@hookline/db";
import { iso } from "./timestamps.js";

export interface EndpointResponse {
  id: string;
  name: string;
  url: string;
  headers_json: unknown;
  timeout_seconds: number;
  status: "ACTIVE" | "PAUSED" | "DISABLED" | "INACTIVE";
  paused_at: string | null;
  /** Only on a DISABLED endpoint, so the shape of 002 stays exact for ACTIVE and PAUSED ones. */
  disabled_at?: string | null;
  disabled_reason?: string | null;
  created_at: string;
  updated_at: string;
}

/** The endpoint as 002 specifies it. The secret is write-only here; GET …/secret returns it. */
export function presentEndpoint(endpoint: Endpoint): EndpointResponse {
  return {
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    headers_json: endpoint.headersJson,
    timeout_seconds: endpoint.timeoutSeconds,
    status: endpoint.status,
    paused_at: iso(endpoint.pausedAt),
    ...(endpoint.status === "DISABLED" && { disabled_at: iso(endpoint.disabledAt), disabled_reason: endpoint.disabledReason }),
    created_at: iso(endpoint.createdAt),
    updated_at: iso(endpoint.updatedAt),
  };
}
