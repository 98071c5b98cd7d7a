import type { BrandedEnvironment, RoutedEndpoint } from "@hookline/core";
import type { Prisma } from "../generated/prisma/client.js";

/**
 * Takes the tenant's routing lock for the rest of the transaction and reads what decides whether
 * two inbound endpoints clash: every endpoint's path, method and brands, and every environment's
 * brands. Everything that can make two endpoints clash (creating or changing an endpoint, linking
 * an environment to brands) takes it first, so two such changes can never both pass their check.
 */
export async function lockRoutes(
  tx: Prisma.TransactionClient,
  tenantId: string,
): Promise<{ endpoints: RoutedEndpoint[]; environments: BrandedEnvironment[] }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hookline:inbound-routes:${tenantId}`}, 0))`;
  const [endpoints, environments] = await Promise.all([
    tx.inboundEndpoint.findMany({
      where: { tenantId },
      select: { id: true, path: true, method: true, brands: { select: { brandId: true } } },
    }),
    tx.environment.findMany({ where: { tenantId }, select: { id: true, brands: { select: { brandId: true } } } }),
  ]);
  return {
    endpoints: endpoints.map((e) => ({ id: e.id, path: e.path, method: e.method, brandIds: e.brands.map((b) => b.brandId) })),
    environments: environments.map((e) => ({ id: e.id, brandIds: e.brands.map((b) => b.brandId) })),
  };
}
