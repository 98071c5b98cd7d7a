import { newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Subscription } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { retryOnConflict } from "../database-errors.js";

export type { Subscription } from "../generated/prisma/client.js";

export interface SubscriptionFilter {
  readonly endpointId?: string | undefined;
}

/**
 * Subscriptions bound to one tenant. Writes that name an endpoint check that the tenant owns it
 * inside the same transaction, so a foreign endpoint id is "not found", never a dangling link.
 */
export function subscriptionRepository(prisma: PrismaClient, tenantId: string) {
  return {
    async create(input: { endpointId: string; eventTypes: string[] }): Promise<Subscription | "endpoint_not_found"> {
      return prisma.$transaction(async (tx) => {
        const endpoint = await tx.endpoint.findFirst({ where: { id: input.endpointId, tenantId, deletedAt: null }, select: { id: true } });
        if (!endpoint) return "endpoint_not_found" as const;
        return tx.subscription.create({
          data: { id: newId("subscription"), tenantId, endpointId: input.endpointId, eventTypes: input.eventTypes },
        });
      });
    },

    find(id: string): Promise<Subscription | null> {
      return prisma.subscription.findFirst({ where: { id, tenantId } });
    },

    async list(page: PageRequest, filter: SubscriptionFilter = {}): Promise<Page<Subscription>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.subscription.findMany({
        where: { tenantId, ...(filter.endpointId !== undefined && { endpointId: filter.endpointId }), ...idAfter },
        ...rest,
      });
      return toPage(rows, page.limit);
    },

    async update(
      id: string,
      patch: { endpointId?: string | undefined; eventTypes?: string[] | undefined },
    ): Promise<Subscription | "not_found" | "endpoint_not_found"> {
      // See endpoints.update: routing changes meet on the tenant's routing row; a deadlock's victim runs again.
      return retryOnConflict(() =>
        prisma.$transaction(async (tx) => {
          const current = await tx.subscription.findFirst({ where: { id, tenantId }, select: { id: true } });
          if (!current) return "not_found" as const;
          if (patch.endpointId !== undefined) {
            const endpoint = await tx.endpoint.findFirst({
              where: { id: patch.endpointId, tenantId, deletedAt: null },
              select: { id: true },
            });
            if (!endpoint) return "endpoint_not_found" as const;
          }
          return tx.subscription.update({
            where: { id, tenantId },
            data: {
              ...(patch.endpointId !== undefined && { endpointId: patch.endpointId }),
              ...(patch.eventTypes !== undefined && { eventTypes: patch.eventTypes }),
            },
          });
        }),
      );
    },

    async delete(id: string): Promise<boolean> {
      const { count } = await prisma.subscription.deleteMany({ where: { id, tenantId } });
      return count > 0;
    },
  };
}

export type SubscriptionRepository = ReturnType<typeof subscriptionRepository>;
