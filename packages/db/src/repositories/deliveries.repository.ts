import type { PrismaClient } from "../client.js";
import type { Attempt, Delivery } from "../generated/prisma/client.js";
import { idsInPublishOrder } from "./held-deliveries.js";
import { pageQuery, toPage, type Page, type PageRequest } from "./pagination.js";

export type { Attempt, Delivery } from "../generated/prisma/client.js";
export type DeliveryStatus = Delivery["status"];
export type DeliveryWithAttempts = Delivery & { attempts: Attempt[] };

/** The control plane's view of deliveries, bound to one tenant. */
export function deliveryRepository(prisma: PrismaClient, tenantId: string) {
  return {
    find(id: string): Promise<DeliveryWithAttempts | null> {
      return prisma.delivery.findFirst({
        where: { id, tenantId },
        include: { attempts: { orderBy: { attemptNumber: "asc" } } },
      });
    },

    async listForEndpoint(endpointId: string, page: PageRequest, status?: DeliveryStatus): Promise<Page<Delivery>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.delivery.findMany({
        where: { tenantId, endpointId, ...(status !== undefined && { status }), ...idAfter },
        ...rest,
      });
      return toPage(rows, page.limit);
    },

    /**
     * Makes every failed delivery of an endpoint created at or after `since` due again, and
     * returns their ids in publish order for the caller to enqueue.
     */
    async recoverFailed(endpointId: string, since: Date): Promise<string[]> {
      const rows = await prisma.$queryRaw<{ id: string; seq: bigint }[]>`
        UPDATE deliveries SET status = 'pending', next_attempt_at = now(), completed_at = NULL, updated_at = now()
        WHERE tenant_id = ${tenantId} AND endpoint_id = ${endpointId} AND status = 'failed' AND created_at >= ${since}
        RETURNING id, seq`;
      return idsInPublishOrder(rows);
    },

    /**
     * Makes a failed delivery due again now. Returns "not_found" for an id this tenant does not
     * own and "not_failed" when there is nothing to retry (it is pending, held or delivered).
     */
    async retry(id: string): Promise<Delivery | "not_found" | "not_failed"> {
      const { count } = await prisma.delivery.updateMany({
        where: { id, tenantId, status: "failed" },
        data: { status: "pending", nextAttemptAt: new Date(), completedAt: null },
      });
      const delivery = await prisma.delivery.findFirst({ where: { id, tenantId } });
      if (!delivery) return "not_found";
      return count === 1 ? delivery : "not_failed";
    },
  };
}

export type DeliveryRepository = ReturnType<typeof deliveryRepository>;
