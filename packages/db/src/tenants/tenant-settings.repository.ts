import type { PrismaClient } from "../client.js";

export interface TenantSettings {
  readonly strictEventTypes: boolean;
}

/** A tenant's own settings, read and changed by the tenant itself. */
export function tenantSettingsRepository(prisma: PrismaClient, tenantId: string) {
  return {
    async get(): Promise<TenantSettings> {
      const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { strictEventTypes: true } });
      return tenant;
    },
    async update(patch: Partial<TenantSettings>): Promise<TenantSettings> {
      return prisma.tenant.update({
        where: { id: tenantId },
        data: { ...(patch.strictEventTypes !== undefined && { strictEventTypes: patch.strictEventTypes }) },
        select: { strictEventTypes: true },
      });
    },
  };
}
