import type { PrismaClient } from "../client.js";
import type { Attempt, Delivery } from "../generated/prisma/client.js";
import { recoverFailedDeliveries, type ReleasedBatch } from "./due-again.js";
import { createdWithin, newestFirstQuery, pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";

export type { Attempt, Delivery } from "../generated/prisma/client.js";
export type DeliveryStatus = Delivery["status"];
export type DeliveryWithAttempts = Delivery & { attempts: Attempt[] };

/** What `GET /v1/deliveries` may narrow the list to; each only when given. */
export interface DeliveryFilter {
  readonly status?: DeliveryStatus | undefined;
  readonly endpointId?: string | undefined;
  readonly eventId?: string | undefined;
  /** Created (published) at or after. */
  readonly since?: Date | undefined;
  /** Created at or before. */
  readonly until?: Date | undefined;
}

/** A delivery of an endpoint being deleted is gone with it, for every lookup. */
const LIVE_ENDPOINT = { endpoint: { deletedAt: null } };

/** The control plane's view of deliveries, bound to one tenant. */
export function deliveryRepository(prisma: PrismaClient, tenantId: string) {
  return {
    find(id: string): Promise<DeliveryWithAttempts | null> {
      return prisma.delivery.findFirst({
        where: { id, tenantId, ...LIVE_ENDPOINT },
        include: { attempts: { orderBy: { attemptNumber: "asc" } } },
      });
    },

    async listForEndpoint(endpointId: string, page: PageRequest, status?: DeliveryStatus): Promise<Page<Delivery>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.delivery.findMany({
        where: { tenantId, endpointId, ...LIVE_ENDPOINT, ...(status !== undefined && { status }), ...idAfter },
        ...rest,
      });
      return toPage(rows, page.limit);
    },

    /** The tenant's deliveries across its endpoints, newest first. */
    async list(page: PageRequest, filter: DeliveryFilter = {}): Promise<Page<Delivery>> {
      const cursor =
        page.after === undefined
          ? null
          : await prisma.delivery.findFirst({ where: { id: page.after, tenantId }, select: { id: true, createdAt: true } });
      const { after, ...rest } = newestFirstQuery(page, cursor);
      const rows = await prisma.delivery.findMany({
        where: {
          tenantId,
          ...LIVE_ENDPOINT,
          ...(filter.status !== undefined && { status: filter.status }),
          ...(filter.endpointId !== undefined && { endpointId: filter.endpointId }),
          ...(filter.eventId !== undefined && { eventId: filter.eventId }),
          AND: [...createdWithin(filter), ...after],
        },
        ...rest,
      });
      return toPage(rows, page.limit);
    },

    /**
     * Makes every failed delivery of an endpoint created at or after `since` due again, a batch at
     * a time in publish order, each batch handed to `released` (to enqueue) once committed.
     * Returns how many.
     */
    recoverFailed(endpointId: string, since: Date, released: ReleasedBatch): Promise<number> {
      return recoverFailedDeliveries(prisma, { tenantId, endpointId, since }, released);
    },

    /**
     * Makes a failed delivery due again now. Returns "not_found" for an id this tenant does not
     * own and "not_failed" when there is nothing to retry (it is pending, held or delivered).
     */
    async retry(id: string): Promise<Delivery | "not_found" | "not_failed"> {
      const { count } = await prisma.delivery.updateMany({
        where: { id, tenantId, status: "failed", ...LIVE_ENDPOINT },
        data: { status: "pending", nextAttemptAt: new Date(), completedAt: null },
      });
      const delivery = await prisma.delivery.findFirst({ where: { id, tenantId, ...LIVE_ENDPOINT } });
      if (!delivery) return "not_found";
      return count === 1 ? delivery : "not_failed";
    },
  };
}

export type DeliveryRepository = ReturnType<typeof deliveryRepository>;
