import { newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Endpoint } from "../generated/prisma/client.js";
import { releaseHeldDeliveries } from "./held-deliveries.js";
import { pageQuery, toPage, type Page, type PageRequest } from "./pagination.js";

export type { Endpoint } from "../generated/prisma/client.js";
export type EndpointStatus = Endpoint["status"];

export interface NewEndpoint {
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly headers: Record<string, string>;
  readonly timeoutSeconds: number;
}

export interface EndpointPatch {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly secret?: string | undefined;
  readonly headers?: Record<string, string> | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly status?: "ACTIVE" | "PAUSED" | undefined;
}

export interface UpdatedEndpoint {
  readonly endpoint: Endpoint;
  /** Deliveries that were held and are now due, in publish order: the caller enqueues them. */
  readonly released: readonly string[];
}

/** Every endpoint query of the control plane goes through here, bound to one tenant. */
export function endpointRepository(prisma: PrismaClient, tenantId: string) {
  return {
    create(input: NewEndpoint): Promise<Endpoint> {
      return prisma.endpoint.create({
        data: {
          id: newId("endpoint"),
          tenantId,
          name: input.name,
          url: input.url,
          secret: input.secret,
          headersJson: input.headers,
          timeoutSeconds: input.timeoutSeconds,
        },
      });
    },

    find(id: string): Promise<Endpoint | null> {
      return prisma.endpoint.findFirst({ where: { id, tenantId } });
    },

    async list(page: PageRequest): Promise<Page<Endpoint>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.endpoint.findMany({ where: { tenantId, ...idAfter }, ...rest });
      return toPage(rows, page.limit);
    },

    /**
     * Applies a partial update. Pausing stamps `paused_at` once (pausing a paused endpoint keeps
     * the first time); resuming a paused or disabled endpoint clears it and makes every held
     * delivery due again, in publish order. Returns null for an id this tenant does not own.
     */
    async update(id: string, patch: EndpointPatch): Promise<UpdatedEndpoint | null> {
      return prisma.$transaction(async (tx) => {
        const current = await tx.endpoint.findFirst({ where: { id, tenantId }, select: { status: true } });
        if (!current) return null;
        const changes = patch.status !== undefined && patch.status !== current.status;
        const statusChange = !changes
          ? {}
          : patch.status === "PAUSED"
            ? { status: "PAUSED" as const, pausedAt: new Date() }
            : { status: "ACTIVE" as const, pausedAt: null, disabledAt: null, disabledReason: null, failingSince: null };
        const endpoint = await tx.endpoint.update({
          where: { id, tenantId },
          data: {
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.url !== undefined && { url: patch.url }),
            ...(patch.secret !== undefined && { secret: patch.secret }),
            ...(patch.headers !== undefined && { headersJson: patch.headers }),
            ...(patch.timeoutSeconds !== undefined && { timeoutSeconds: patch.timeoutSeconds }),
            ...statusChange,
          },
        });
        let released: string[] = [];
        if (changes && patch.status === "ACTIVE") {
          released = await releaseHeldDeliveries(tx, id);
        }
        return { endpoint, released };
      });
    },

    async delete(id: string): Promise<boolean> {
      const { count } = await prisma.endpoint.deleteMany({ where: { id, tenantId } });
      return count > 0;
    },
  };
}

export type EndpointRepository = ReturnType<typeof endpointRepository>;
