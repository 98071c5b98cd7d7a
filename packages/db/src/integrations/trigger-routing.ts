import { timingSafeEqual } from "node:crypto";
import type { IntegrationDefinition } from "@hookline/core";
import type { Database } from "../client.js";
import { prepared } from "../prepared.js";
import { hashKey } from "./integration-secrets.js";

/**
 * The lookups of a call to `/api/v1/trigger/<token>`. The caller is not a tenant: the token names
 * one, and everything after is scoped by that tenant. Plain prepared SQL: these run on every call.
 */

export interface TriggerTarget {
  readonly tenantId: string;
  readonly kind: "shared" | "instance" | "instance_flow";
  readonly integrationId: string;
  readonly instanceId: string | null;
  readonly flowName: string | null;
}

/** An instance as a call to it needs it. */
export interface InstanceTarget {
  readonly id: string;
  readonly version: number;
  /** As stored: secret values sealed (see openInstanceConfig). */
  readonly config: unknown;
  readonly customer: { readonly id: string; readonly externalId: string | null; readonly name: string };
}

export async function loadTrigger(db: Pick<Database, "pool">, token: string): Promise<TriggerTarget | null> {
  const { rows } = await prepared<{
    tenant_id: string;
    kind: TriggerTarget["kind"];
    integration_id: string;
    instance_id: string | null;
    flow_name: string | null;
  }>(db.pool, "trigger-by-token", `SELECT tenant_id, kind, integration_id, instance_id, flow_name FROM triggers WHERE token = $1`, [token]);
  const row = rows[0];
  return row
    ? { tenantId: row.tenant_id, kind: row.kind, integrationId: row.integration_id, instanceId: row.instance_id, flowName: row.flow_name }
    : null;
}

/** A published version's definition (immutable: callers may cache it). */
export async function loadIntegrationVersion(
  db: Pick<Database, "pool">,
  tenantId: string,
  integrationId: string,
  version: number,
): Promise<IntegrationDefinition | null> {
  const { rows } = await prepared<{ definition: IntegrationDefinition }>(
    db.pool,
    "integration-version",
    `SELECT definition FROM integration_versions WHERE integration_id = $1 AND version = $2 AND tenant_id = $3`,
    [integrationId, version, tenantId],
  );
  return rows[0]?.definition ?? null;
}

/**
 * The version whose endpoint configuration a shared endpoint uses: the latest version deployed to
 * some customer now (seed 004: with 4, 5 and 6 published and instances on 4 and 5, version 5's).
 */
export async function latestDeployedVersion(db: Pick<Database, "pool">, tenantId: string, integrationId: string): Promise<number | null> {
  const { rows } = await prepared<{ version: number | null }>(
    db.pool,
    "latest-deployed-version",
    `SELECT max(version) AS version FROM instances WHERE tenant_id = $1 AND integration_id = $2`,
    [tenantId, integrationId],
  );
  return rows[0]?.version ?? null;
}

type InstanceRow = { id: string; version: number; config: unknown; customer_id: string; external_id: string | null; name: string };
const toInstance = (row: InstanceRow): InstanceTarget => ({
  id: row.id,
  version: row.version,
  config: row.config,
  customer: { id: row.customer_id, externalId: row.external_id, name: row.name },
});

export async function loadInstanceTarget(db: Pick<Database, "pool">, tenantId: string, instanceId: string): Promise<InstanceTarget | null> {
  const { rows } = await prepared<InstanceRow>(
    db.pool,
    "instance-target",
    `SELECT i.id, i.version, i.config, c.id AS customer_id, c.external_id, c.name
     FROM instances i JOIN customers c ON c.id = i.customer_id AND c.tenant_id = i.tenant_id
     WHERE i.id = $1 AND i.tenant_id = $2`,
    [instanceId, tenantId],
  );
  return rows[0] ? toInstance(rows[0]) : null;
}

/** A shared endpoint's routing: the instance of this integration deployed to the customer with this external id. */
export async function findInstanceForCustomer(
  db: Pick<Database, "pool">,
  tenantId: string,
  integrationId: string,
  externalId: string,
): Promise<InstanceTarget | null> {
  const { rows } = await prepared<InstanceRow>(
    db.pool,
    "instance-for-customer",
    `SELECT i.id, i.version, i.config, c.id AS customer_id, c.external_id, c.name
     FROM customers c JOIN instances i ON i.customer_id = c.id AND i.tenant_id = c.tenant_id
     WHERE c.tenant_id = $1 AND c.external_id = $2 AND i.integration_id = $3`,
    [tenantId, externalId, integrationId],
  );
  return rows[0] ? toInstance(rows[0]) : null;
}

/** Whether `presented` is one of the keys of this instance's flow; every key is compared, in constant time. */
export async function instanceKeyOpens(
  db: Pick<Database, "pool">,
  tenantId: string,
  instanceId: string,
  flow: string,
  presented: string,
): Promise<boolean> {
  const { rows } = await prepared<{ key_hash: Buffer }>(
    db.pool,
    "instance-api-keys",
    `SELECT key_hash FROM instance_api_keys WHERE tenant_id = $1 AND instance_id = $2 AND flow_name = $3`,
    [tenantId, instanceId, flow],
  );
  const candidate = hashKey(presented);
  let opens = false;
  for (const row of rows) opens = (row.key_hash.length === candidate.length && timingSafeEqual(row.key_hash, candidate)) || opens;
  return opens;
}

/** Whether `presented` is the organization key whose SHA-256 (base64) is `keyHash`. */
export function organizationKeyOpens(keyHash: string, presented: string): boolean {
  const expected = Buffer.from(keyHash, "base64");
  const candidate = hashKey(presented);
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}
