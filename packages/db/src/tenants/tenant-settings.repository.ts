import type { Database, PrismaClient } from "../client.js";

export interface TenantSettings {
  readonly strictEventTypes: boolean;
  /** Null follows the installation's RETENTION_DAYS. */
  readonly retentionDays: number | null;
  readonly portalName: string | null;
  readonly portalLogoUrl: string | null;
  readonly portalAccentColor: string | null;
  readonly portalFrameAncestors: readonly string[];
}

const SELECT = {
  strictEventTypes: true,
  retentionDays: true,
  portalName: true,
  portalLogoUrl: true,
  portalAccentColor: true,
  portalFrameAncestors: true,
} as const;

/** A tenant's own settings, read and changed by the tenant itself. */
export function tenantSettingsRepository(prisma: PrismaClient, tenantId: string) {
  return {
    async get(): Promise<TenantSettings> {
      return prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: SELECT });
    },
    /** Fields left undefined are kept; null clears a portal field or the retention. */
    async update(patch: Partial<TenantSettings>): Promise<TenantSettings> {
      return prisma.tenant.update({
        where: { id: tenantId },
        data: {
          ...(patch.strictEventTypes !== undefined && { strictEventTypes: patch.strictEventTypes }),
          ...(patch.retentionDays !== undefined && { retentionDays: patch.retentionDays }),
          ...(patch.portalName !== undefined && { portalName: patch.portalName }),
          ...(patch.portalLogoUrl !== undefined && { portalLogoUrl: patch.portalLogoUrl }),
          ...(patch.portalAccentColor !== undefined && { portalAccentColor: patch.portalAccentColor }),
          ...(patch.portalFrameAncestors !== undefined && { portalFrameAncestors: [...patch.portalFrameAncestors] }),
        },
        select: SELECT,
      });
    },
  };
}

/** The portal's look and framing, read by the portal's page before any token is known. */
export async function portalLookOf(db: Pick<Database, "prisma">, tenantId: string): Promise<TenantSettings | null> {
  return db.prisma.tenant.findUnique({ where: { id: tenantId }, select: SELECT });
}
