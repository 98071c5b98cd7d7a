import type { Database } from "../client.js";
import { prepared } from "../prepared.js";

/** What a portal request may name by id; each belongs to a customer through its endpoint. */
export type PortalOwned = "endpoint" | "subscription" | "delivery";

const OWNERSHIP_SQL: Record<PortalOwned, string> = {
  endpoint: `SELECT 1 FROM endpoints WHERE tenant_id = $1 AND id = $2 AND customer_id = $3 AND deleted_at IS NULL`,
  subscription: `SELECT 1 FROM subscriptions s JOIN endpoints e ON e.tenant_id = s.tenant_id AND e.id = s.endpoint_id
                  WHERE s.tenant_id = $1 AND s.id = $2 AND e.customer_id = $3 AND e.deleted_at IS NULL`,
  delivery: `SELECT 1 FROM deliveries d JOIN endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
              WHERE d.tenant_id = $1 AND d.id = $2 AND e.customer_id = $3 AND e.deleted_at IS NULL`,
};

/**
 * Whether the tenant's customer owns the thing an id names. The portal asks before every request
 * that names one; an id of another customer (or tenant) answers false, and the request a 404.
 */
export async function customerOwns(
  db: Pick<Database, "pool">,
  owner: { tenantId: string; customerId: string },
  kind: PortalOwned,
  id: string,
): Promise<boolean> {
  const { rowCount } = await prepared(db.pool, `portal-owns-${kind}`, OWNERSHIP_SQL[kind], [owner.tenantId, id, owner.customerId]);
  return (rowCount ?? 0) > 0;
}
