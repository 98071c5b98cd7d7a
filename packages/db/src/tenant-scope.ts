import type { PrismaClient } from "./client.js";
import { apiKeyRepository } from "./repositories/api-keys.repository.js";
import { endpointRepository } from "./repositories/endpoints.repository.js";
import { subscriptionRepository } from "./repositories/subscriptions.repository.js";

/**
 * The repositories of one tenant. Route handlers receive this, never the Prisma client, so no
 * query can forget the tenant.
 */
export function tenantScope(prisma: PrismaClient, tenantId: string) {
  return {
    tenantId,
    apiKeys: apiKeyRepository(prisma, tenantId),
    endpoints: endpointRepository(prisma, tenantId),
    subscriptions: subscriptionRepository(prisma, tenantId),
  };
}

export type TenantScope = ReturnType<typeof tenantScope>;
