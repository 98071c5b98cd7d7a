import type { SecretCipher } from "@hookline/core";
import type { Database } from "../client.js";
import { prepared } from "../prepared.js";
import { openVariable } from "./environment-secrets.js";

/**
 * The lookups of a call to `/api/v1/envs/<environment>/endpoints/<path>`. The caller is not a
 * tenant: the environment id names one, and everything after is scoped by that tenant. These run
 * on every inbound call, so they are plain prepared SQL, not Prisma.
 */

/** An endpoint served in the environment, with the version of its workflow the environment runs. */
export interface ServedEndpoint {
  readonly id: string;
  readonly path: string;
  readonly method: string;
  readonly accessLevel: "secret_key" | "public_key" | "none";
  readonly enabled: boolean;
  /** The version this environment runs (latest in preview, published in live), if any. */
  readonly version: { readonly id: string; readonly number: number } | null;
}

export interface InboundRoutes {
  readonly environmentId: string;
  readonly tenantId: string;
  readonly kind: "preview" | "live";
  readonly secretKeyHash: Uint8Array;
  readonly publicKeyHash: Uint8Array;
  readonly endpoints: ServedEndpoint[];
}

type RouteRow = {
  tenant_id: string;
  kind: "preview" | "live";
  secret_key_hash: Buffer;
  public_key_hash: Buffer;
  id: string | null;
  path: string | null;
  method: string | null;
  access_level: ServedEndpoint["accessLevel"] | null;
  workflow_enabled: boolean | null;
  version: number | null;
  version_id: string | null;
};

// An endpoint is served where it has no brands, or where the environment links one of its brands.
const ROUTES_SQL = `
  SELECT env.tenant_id, env.kind, env.secret_key_hash, env.public_key_hash,
         ie.id, ie.path, ie.method, ie.access_level, ie.workflow_enabled, wv.version, wv.id AS version_id
  FROM environments env
  LEFT JOIN inbound_endpoints ie ON ie.tenant_id = env.tenant_id
    AND (NOT EXISTS (SELECT 1 FROM inbound_endpoint_brands b WHERE b.endpoint_id = ie.id)
         OR EXISTS (SELECT 1 FROM inbound_endpoint_brands b
                    JOIN environment_brands eb ON eb.brand_id = b.brand_id AND eb.environment_id = env.id
                    WHERE b.endpoint_id = ie.id))
  LEFT JOIN workflow_versions wv ON wv.endpoint_id = ie.id AND wv.tenant_id = env.tenant_id
    AND wv.version = CASE env.kind WHEN 'preview' THEN ie.latest_version ELSE ie.published_version END
  WHERE env.id = $1`;

/** The environment and the endpoints it serves; null when there is no such environment. */
export async function loadInboundRoutes(db: Pick<Database, "pool">, environmentId: string): Promise<InboundRoutes | null> {
  const { rows } = await prepared<RouteRow>(db.pool, "inbound-routes", ROUTES_SQL, [environmentId]);
  const first = rows[0];
  if (!first) return null;
  return {
    environmentId,
    tenantId: first.tenant_id,
    kind: first.kind,
    secretKeyHash: new Uint8Array(first.secret_key_hash),
    publicKeyHash: new Uint8Array(first.public_key_hash),
    endpoints: rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: row.id!,
        path: row.path!,
        method: row.method!,
        accessLevel: row.access_level!,
        enabled: row.workflow_enabled!,
        version: row.version_id === null ? null : { id: row.version_id, number: row.version! },
      })),
  };
}

/** The JavaScript a workflow version compiled to (immutable: callers may cache it by id). */
export async function loadCompiledWorkflow(db: Pick<Database, "pool">, tenantId: string, versionId: string): Promise<string | null> {
  const { rows } = await prepared<{ compiled: string }>(
    db.pool,
    "inbound-compiled",
    `SELECT compiled FROM workflow_versions WHERE id = $1 AND tenant_id = $2`,
    [versionId, tenantId],
  );
  return rows[0]?.compiled ?? null;
}

/** The environment's variables as a workflow sees them, secret ones opened. */
export async function loadEnvironmentVariables(
  db: Pick<Database, "pool" | "secrets">,
  tenantId: string,
  environmentId: string,
): Promise<Record<string, string>> {
  const { rows } = await prepared<{ name: string; value: string; secret: boolean }>(
    db.pool,
    "inbound-variables",
    `SELECT name, value, secret FROM environment_variables WHERE environment_id = $1 AND tenant_id = $2`,
    [environmentId, tenantId],
  );
  const cipher: SecretCipher = db.secrets;
  return Object.fromEntries(
    rows.map((row) => [row.name, row.secret ? openVariable(cipher, environmentId, row.name, row.value) : row.value]),
  );
}
