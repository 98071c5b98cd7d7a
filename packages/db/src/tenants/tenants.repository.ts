import { issueApiKey, newId } from "@hookline/core";
import type { Database } from "../client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import type { Tenant } from "../generated/prisma/client.js";
import { defaultEnvironmentRows } from "../inbound/default-environments.js";

export interface CreatedTenant {
  readonly tenant: Tenant;
  readonly apiKeyId: string;
  /** Shown once to the caller; only its hash is stored. */
  readonly apiKey: string;
}

/**
 * Tenants are not tenant-scoped themselves: only the admin API and operators create them. A
 * tenant starts with one API key, two environments (`preview` and `live`) and its test customer.
 */
export async function createTenant(db: Pick<Database, "prisma" | "secrets">, input: { name: string }): Promise<CreatedTenant> {
  const { prisma } = db;
  const tenantId = newId("tenant");
  const apiKeyId = newId("apiKey");
  const key = issueApiKey(apiKeyId);
  const [tenant] = await prisma.$transaction([
    prisma.tenant.create({ data: { id: tenantId, name: input.name } }),
    prisma.apiKey.create({
      data: { id: apiKeyId, tenantId, name: "default", secretHash: new Uint8Array(key.secretHash) },
    }),
    prisma.environment.createMany({ data: defaultEnvironmentRows(db.secrets, tenantId) }),
    prisma.customer.create({ data: { id: newId("customer"), tenantId, name: "Test customer", isTest: true } }),
  ]);
  return { tenant, apiKeyId, apiKey: key.plaintext };
}

/** Every tenant, for the admin: not tenant-scoped, as tenants are not. */
export async function listTenants(db: Pick<Database, "prisma">, page: PageRequest): Promise<Page<Tenant>> {
  const { idAfter, ...rest } = pageQuery(page);
  const rows = await db.prisma.tenant.findMany({ where: { ...idAfter }, ...rest });
  return toPage(rows, page.limit);
}
