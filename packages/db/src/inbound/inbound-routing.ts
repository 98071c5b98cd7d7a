import type { SecretCipher } from "@hookline/core";
import type { Database } from "../client.js";
import { batcher, perPool } from "../batcher.js";
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
  /** The environment's variables as stored (secret ones sealed); see `openVariables`. */
  readonly variables: readonly StoredVariable[];
}

export interface StoredVariable {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

type RouteRow = {
  environment_id: string;
  tenant_id: string;
  kind: "preview" | "live";
  secret_key_hash: Buffer;
  public_key_hash: Buffer;
  endpoints: {
    id: string;
    path: string;
    method: string;
    access_level: ServedEndpoint["accessLevel"];
    enabled: boolean;
    version: number | null;
    version_id: string | null;
  }[];
  variables: StoredVariable[];
};

// Everything a call needs, for many environments in one statement: the environment, the endpoints
// it serves (an endpoint is served where it has no brands, or where the environment links one of
// its brands) with the version each runs (latest in preview, published in live), and its variables.
const ROUTES_SQL = `
  SELECT env.id AS environment_id, env.tenant_id, env.kind, env.secret_key_hash, env.public_key_hash,
    (SELECT coalesce(json_agg(json_build_object(
              'id', ie.id, 'path', ie.path, 'method', ie.method, 'access_level', ie.access_level,
              'enabled', ie.workflow_enabled, 'version', wv.version, 'version_id', wv.id)), '[]')
     FROM inbound_endpoints ie
     LEFT JOIN workflow_versions wv ON wv.endpoint_id = ie.id AND wv.tenant_id = ie.tenant_id
       AND wv.version = CASE env.kind WHEN 'preview' THEN ie.latest_version ELSE ie.published_version END
     WHERE ie.tenant_id = env.tenant_id
       AND (NOT EXISTS (SELECT 1 FROM inbound_endpoint_brands b WHERE b.endpoint_id = ie.id)
            OR EXISTS (SELECT 1 FROM inbound_endpoint_brands b
                       JOIN environment_brands eb ON eb.brand_id = b.brand_id AND eb.environment_id = env.id
                       WHERE b.endpoint_id = ie.id))) AS endpoints,
    (SELECT coalesce(json_agg(json_build_object('name', v.name, 'value', v.value, 'secret', v.secret)), '[]')
     FROM environment_variables v WHERE v.environment_id = env.id AND v.tenant_id = env.tenant_id) AS variables
  FROM environments env
  WHERE env.id = ANY($1::text[])`;

/**
 * Calls that arrive together share one statement (as API-key lookups do), sent after all its
 * callers arrived, so a call never sees an environment as it was before the call came.
 */
const routeLookups = perPool((pool) =>
  batcher<string, InboundRoutes | null>(
    async (environmentIds) => {
      const { rows } = await prepared<RouteRow>(pool, "inbound-routes", ROUTES_SQL, [[...new Set(environmentIds)]]);
      const byId = new Map(rows.map((row) => [row.environment_id, row]));
      return environmentIds.map((environmentId) => {
        const row = byId.get(environmentId);
        if (!row) return null;
        return {
          environmentId,
          tenantId: row.tenant_id,
          kind: row.kind,
          secretKeyHash: new Uint8Array(row.secret_key_hash),
          publicKeyHash: new Uint8Array(row.public_key_hash),
          endpoints: row.endpoints.map((e) => ({
            id: e.id,
            path: e.path,
            method: e.method,
            accessLevel: e.access_level,
            enabled: e.enabled,
            version: e.version_id === null || e.version === null ? null : { id: e.version_id, number: e.version },
          })),
          variables: row.variables,
        };
      });
    },
    { maxBatch: 200, maxConcurrent: 3 },
  ),
);

/** The environment, the endpoints it serves and its variables; null when there is no such environment. */
export function loadInboundRoutes(db: Pick<Database, "pool">, environmentId: string): Promise<InboundRoutes | null> {
  return routeLookups(db.pool)(environmentId);
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
export function openVariables(cipher: SecretCipher, environmentId: string, variables: readonly StoredVariable[]): Record<string, string> {
  const opened: Record<string, string> = {};
  for (const variable of variables) {
    opened[variable.name] = variable.secret ? openVariable(cipher, environmentId, variable.name, variable.value) : variable.value;
  }
  return opened;
}

/** The environment's variables, read on their own (a preview, which is not routed). */
export async function loadEnvironmentVariables(
  db: Pick<Database, "pool" | "secrets">,
  tenantId: string,
  environmentId: string,
): Promise<Record<string, string>> {
  const { rows } = await prepared<StoredVariable>(
    db.pool,
    "inbound-variables",
    `SELECT name, value, secret FROM environment_variables WHERE environment_id = $1 AND tenant_id = $2`,
    [environmentId, tenantId],
  );
  return openVariables(db.secrets, environmentId, rows);
}
