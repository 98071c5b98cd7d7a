import { newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import { Prisma, type Brand } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";

export type { Brand } from "../generated/prisma/client.js";

/** The inbound endpoints that still link to a brand, which therefore cannot be deleted. */
export interface BrandInUse {
  readonly outcome: "in_use";
  readonly endpointIds: string[];
}

export function brandRepository(prisma: PrismaClient, tenantId: string) {
  return {
    create(input: { name: string }): Promise<Brand> {
      return prisma.brand.create({ data: { id: newId("brand"), tenantId, name: input.name } });
    },

    find(id: string): Promise<Brand | null> {
      return prisma.brand.findFirst({ where: { id, tenantId } });
    },

    async list(page: PageRequest): Promise<Page<Brand>> {
      const { idAfter, ...rest } = pageQuery(page);
      return toPage(await prisma.brand.findMany({ where: { tenantId, ...idAfter }, ...rest }), page.limit);
    },

    async update(id: string, patch: { name?: string | undefined }): Promise<Brand | null> {
      const { count } = await prisma.brand.updateMany({
        where: { id, tenantId },
        data: { ...(patch.name !== undefined && { name: patch.name }) },
      });
      return count === 0 ? null : prisma.brand.findFirst({ where: { id, tenantId } });
    },

    /**
     * Unlinks the brand from environments. An inbound endpoint that links to it keeps it from
     * being deleted (the foreign key restricts it): without its brands the endpoint would be
     * served in every environment, which nobody asked for.
     */
    async delete(id: string): Promise<"deleted" | "not_found" | BrandInUse> {
      const linked = await prisma.inboundEndpointBrand.findMany({
        where: { tenantId, brandId: id },
        select: { endpointId: true },
        take: 20,
      });
      if (linked.length > 0) return { outcome: "in_use", endpointIds: linked.map((link) => link.endpointId) };
      try {
        const { count } = await prisma.brand.deleteMany({ where: { id, tenantId } });
        return count === 0 ? "not_found" : "deleted";
      } catch (error) {
        // An endpoint linked to it since the check above.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") return { outcome: "in_use", endpointIds: [] };
        throw error;
      }
    },

    /** Which of `ids` are not brands of this tenant. */
    async unknown(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const found = await prisma.brand.findMany({ where: { tenantId, id: { in: [...ids] } }, select: { id: true } });
      const known = new Set(found.map((brand) => brand.id));
      return ids.filter((id) => !known.has(id));
    },
  };
}

export type BrandRepository = ReturnType<typeof brandRepository>;
