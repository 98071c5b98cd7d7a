import { issuePortalToken, newId, type PortalCapability } from "@hookline/core";
import type { Database, PrismaClient } from "../client.js";
import { prepared } from "../prepared.js";

export interface IssuedPortalToken {
  readonly id: string;
  /** `<id>.<secret>`, shown once. */
  readonly token: string;
  readonly expiresAt: Date;
  readonly capabilities: readonly PortalCapability[];
}

/** What authentication needs of a portal token. */
export interface PortalTokenForAuth {
  readonly id: string;
  readonly tenantId: string;
  readonly customerId: string;
  readonly secretHash: Uint8Array;
  readonly capabilities: readonly PortalCapability[];
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

type AuthRow = {
  id: string;
  tenant_id: string;
  customer_id: string;
  secret_hash: Buffer;
  capabilities: string[] | null;
  expires_at: Date;
  revoked_at: Date | null;
};

export async function findPortalTokenForAuth(db: Pick<Database, "pool">, id: string): Promise<PortalTokenForAuth | null> {
  const { rows } = await prepared<AuthRow>(
    db.pool,
    "auth-portal-token",
    `SELECT id, tenant_id, customer_id, secret_hash, capabilities, expires_at, revoked_at FROM portal_tokens WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    customerId: row.customer_id,
    secretHash: new Uint8Array(row.secret_hash),
    capabilities: (row.capabilities ?? []) as PortalCapability[],
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** A tenant issues and revokes its customers' portal tokens. */
export function portalTokenRepository(prisma: PrismaClient, tenantId: string) {
  return {
    /** Null when the customer is not the tenant's. */
    async issue(
      customerId: string,
      input: { capabilities: readonly PortalCapability[]; ttlSeconds: number },
    ): Promise<IssuedPortalToken | null> {
      const customer = await prisma.customer.findFirst({ where: { id: customerId, tenantId }, select: { id: true } });
      if (!customer) return null;
      const id = newId("portalToken");
      const issued = issuePortalToken(id);
      const expiresAt = new Date(Date.now() + input.ttlSeconds * 1000);
      await prisma.portalToken.create({
        data: {
          id,
          tenantId,
          customerId,
          secretHash: new Uint8Array(issued.secretHash),
          capabilities: [...input.capabilities],
          expiresAt,
        },
      });
      // Issuing is where long-expired tokens of the customer are cleared.
      await prisma.portalToken.deleteMany({ where: { tenantId, customerId, expiresAt: { lt: new Date(Date.now() - 86_400_000) } } });
      return { id, token: issued.plaintext, expiresAt, capabilities: input.capabilities };
    },

    /** Ends every live token of the customer at once; null when the customer is not the tenant's. */
    async revokeAll(customerId: string): Promise<number | null> {
      const customer = await prisma.customer.findFirst({ where: { id: customerId, tenantId }, select: { id: true } });
      if (!customer) return null;
      const { count } = await prisma.portalToken.updateMany({
        where: { tenantId, customerId, revokedAt: null, expiresAt: { gt: new Date() } },
        data: { revokedAt: new Date() },
      });
      return count;
    },
  };
}

export type PortalTokenRepository = ReturnType<typeof portalTokenRepository>;
