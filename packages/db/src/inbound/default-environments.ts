import { newId, type SecretCipher } from "@hookline/core";
import type { Database } from "../client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { newKeyPair } from "./environment-secrets.js";

/** The environments every tenant starts with. */
const DEFAULTS = [
  { name: "preview", kind: "preview" },
  { name: "live", kind: "live" },
] as const;

/** Rows for a new tenant's `preview` and `live` environments, each with a fresh key pair. */
export function defaultEnvironmentRows(cipher: SecretCipher, tenantId: string): Prisma.EnvironmentCreateManyInput[] {
  return DEFAULTS.map(({ name, kind }) => {
    const id = newId("environment");
    return { id, tenantId, name, kind, ...newKeyPair(cipher, id) };
  });
}

/**
 * Gives every tenant created before environments existed its two default environments. Run by
 * the API at startup (the keys are sealed with ENCRYPTION_KEY, which a SQL migration does not
 * have). A tenant gets them only while it has no environment at all, under a lock per tenant, so
 * API processes starting together cannot give one tenant two pairs. Returns how many tenants.
 */
export async function provisionMissingEnvironments(db: Pick<Database, "prisma" | "secrets">): Promise<number> {
  const { prisma, secrets } = db;
  const tenants = await prisma.tenant.findMany({ where: { environments: { none: {} } }, select: { id: true } });
  let provisioned = 0;
  for (const { id: tenantId } of tenants) {
    const created = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hookline:environments:${tenantId}`}, 0))`;
      if ((await tx.environment.count({ where: { tenantId } })) > 0) return false;
      await tx.environment.createMany({ data: defaultEnvironmentRows(secrets, tenantId) });
      return true;
    });
    if (created) provisioned++;
  }
  return provisioned;
}
