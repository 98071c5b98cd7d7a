import { findEnvironmentClash, newId, type EnvironmentKeyKind, type SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Environment as EnvironmentRow, Prisma } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { newKeyColumns, newKeyPair, openKey } from "./environment-secrets.js";
import { lockRoutes } from "./route-lock.js";
import { refusable, RefusedChange } from "./refusal.js";

export type EnvironmentKind = EnvironmentRow["kind"];

/** An environment as it leaves the data layer: never its keys (see `keys`). */
export interface Environment {
  readonly id: string;
  readonly name: string;
  readonly kind: EnvironmentKind;
  readonly brandIds: string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EnvironmentKeys {
  readonly secretKey: string;
  readonly publicKey: string;
}

/** Why a change of brands was refused: it would serve two overlapping endpoints in one environment. */
export interface EndpointsWouldClash {
  readonly outcome: "clash";
  readonly endpointIds: [string, string];
}

const select = {
  id: true,
  name: true,
  kind: true,
  createdAt: true,
  updatedAt: true,
  brands: { select: { brandId: true }, orderBy: { brandId: "asc" as const } },
} as const;

type Selected = { id: string; name: string; kind: EnvironmentKind; createdAt: Date; updatedAt: Date; brands: { brandId: string }[] };
const toEnvironment = ({ brands, ...row }: Selected): Environment => ({ ...row, brandIds: brands.map((b) => b.brandId) });

export function environmentRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const find = async (id: string): Promise<Environment | null> => {
    const row = await prisma.environment.findFirst({ where: { id, tenantId }, select });
    return row && toEnvironment(row);
  };

  /**
   * Links the environment to exactly `brandIds`; throws a RefusedChange (rolling the transaction
   * back) if two endpoints it would then serve clash.
   */
  const linkBrands = async (tx: Prisma.TransactionClient, id: string, brandIds: readonly string[]): Promise<void> => {
    const routes = await lockRoutes(tx, tenantId);
    const environments = [...routes.environments.filter((e) => e.id !== id), { id, brandIds }];
    const clash = findEnvironmentClash(routes.endpoints, environments);
    if (clash) throw new RefusedChange({ outcome: "clash", endpointIds: [clash[0].id, clash[1].id] });
    await tx.environmentBrand.deleteMany({ where: { tenantId, environmentId: id } });
    await tx.environmentBrand.createMany({ data: brandIds.map((brandId) => ({ tenantId, environmentId: id, brandId })) });
  };

  const keys = async (id: string): Promise<EnvironmentKeys | null> => {
    const row = await prisma.environment.findFirst({ where: { id, tenantId }, select: { secretKey: true, publicKey: true } });
    return row && { secretKey: openKey(cipher, id, "secret", row.secretKey), publicKey: openKey(cipher, id, "public", row.publicKey) };
  };

  return {
    find,

    async list(page: PageRequest): Promise<Page<Environment>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.environment.findMany({ where: { tenantId, ...idAfter }, select, ...rest });
      return toPage(rows.map(toEnvironment), page.limit);
    },

    /** The environments of the tenant, all of them (to show an endpoint's URLs). */
    async all(): Promise<Environment[]> {
      const rows = await prisma.environment.findMany({ where: { tenantId }, select, orderBy: { id: "asc" }, take: 1000 });
      return rows.map(toEnvironment);
    },

    /** Brand ids must be the tenant's (the caller checks them first). */
    async create(input: { name: string; kind: EnvironmentKind; brandIds: readonly string[] }): Promise<Environment | EndpointsWouldClash> {
      const id = newId("environment");
      const refused = await refusable<void, EndpointsWouldClash>(
        prisma.$transaction(async (tx) => {
          await tx.environment.create({
            data: {
              id,
              tenantId,
              name: input.name,
              kind: input.kind,
              ...newKeyPair(cipher, id),
            },
          });
          if (input.brandIds.length > 0) await linkBrands(tx, id, input.brandIds);
        }),
      );
      return refused ?? ((await find(id)) as Environment);
    },

    async update(
      id: string,
      patch: { name?: string | undefined; brandIds?: readonly string[] | undefined },
    ): Promise<Environment | "not_found" | EndpointsWouldClash> {
      const result = await refusable<"not_found" | undefined, EndpointsWouldClash>(
        prisma.$transaction(async (tx) => {
          const { count } = await tx.environment.updateMany({
            where: { id, tenantId },
            data: { ...(patch.name !== undefined && { name: patch.name }), updatedAt: new Date() },
          });
          if (count === 0) return "not_found" as const;
          if (patch.brandIds !== undefined) await linkBrands(tx, id, patch.brandIds);
          return undefined;
        }),
      );
      if (result !== undefined) return result;
      return (await find(id)) ?? "not_found";
    },

    /**
     * Deletes the environment with its variables and executions. The tenant's last live
     * environment stays: live callers would have nowhere to go.
     */
    async delete(id: string): Promise<"deleted" | "not_found" | "last_live"> {
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hookline:environments:${tenantId}`}, 0))`;
        const environment = await tx.environment.findFirst({ where: { id, tenantId }, select: { kind: true } });
        if (!environment) return "not_found";
        if (environment.kind === "live" && (await tx.environment.count({ where: { tenantId, kind: "live" } })) <= 1) return "last_live";
        await tx.environment.deleteMany({ where: { id, tenantId } });
        return "deleted";
      });
    },

    keys,

    /** New random keys replace the old ones at once (callers with the old key get 401 from now on). */
    async rotateKeys(id: string, which: readonly EnvironmentKeyKind[]): Promise<EnvironmentKeys | null> {
      const { count } = await prisma.environment.updateMany({
        where: { id, tenantId },
        data: newKeyColumns(cipher, id, which),
      });
      return count === 0 ? null : keys(id);
    },
  };
}

export type EnvironmentRepository = ReturnType<typeof environmentRepository>;
