import { AppError } from "@hookline/core";
import type { TenantScope } from "@hookline/db";

/** Brands named in a body must be the tenant's: another tenant's brand is as unknown as none (404). */
export async function checkBrands(scope: TenantScope, brandIds: readonly string[] | undefined): Promise<void> {
  if (!brandIds || brandIds.length === 0) return;
  const [unknown] = await scope.brands.unknown(brandIds);
  if (unknown !== undefined) throw AppError.notFound(`The brand ${unknown}`);
}
