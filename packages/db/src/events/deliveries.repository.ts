import type { PrismaClient } from "../client.js";
import type { Attempt, Delivery } from "../generated/prisma/client.js";
import type { ReleasedBatch } from "./due-again.js";
import { findRecovery, runRecovery, startRecovery, type Recovery } from "./recoveries.js";
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
     * Starts a recovery of every failed delivery of the endpoint created at or after `since`
     * (null when the tenant has no such endpoint); `runRecovery` then makes them due again, a
     * batch at a time in publish order, each batch handed to `released` (to enqueue) once
     * committed and counted in the recovery (see recoveries.ts).
     */
    startRecovery(endpointId: string, since: Date): Promise<Recovery | null> {
      return startRecovery(prisma, { tenantId, endpointId, since });
    },

    runRecovery(recovery: Recovery, released: ReleasedBatch): Promise<Recovery> {
      return runRecovery(prisma, recovery, released);
    },

    recovery(endpointId: string, id: string): Promise<Recovery | null> {
      return findRecovery(prisma, { tenantId, endpointId, id });
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
