import { findEndpointClash, newId, type InboundMethod } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { AccessLevel, Prisma } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { lockRoutes } from "./route-lock.js";
import { refusable, RefusedChange } from "./refusal.js";
import { limitOf } from "../sql-limit.js";

export type { AccessLevel } from "../generated/prisma/client.js";

export interface InboundEndpoint {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly path: string;
  readonly method: InboundMethod;
  readonly accessLevel: AccessLevel;
  readonly brandIds: string[];
  /** False: the endpoint answers 503 and runs nothing. */
  readonly workflowEnabled: boolean;
  /** What preview environments run (null: nothing saved yet). */
  readonly latestVersion: number | null;
  /** What live environments run (null: never published). */
  readonly publishedVersion: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewInboundEndpoint {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly path: string;
  readonly method: InboundMethod;
  readonly accessLevel: AccessLevel;
  /** Must be brands of the tenant (the caller checks them first). */
  readonly brandIds: readonly string[];
}

export type InboundEndpointPatch = Partial<NewInboundEndpoint>;

/** The endpoint an inbound endpoint would overlap with, which is why it was refused. */
export interface InboundEndpointClash {
  readonly outcome: "clash";
  readonly endpointId: string;
  readonly path: string;
  readonly method: string;
}

const select = {
  id: true,
  name: true,
  description: true,
  path: true,
  method: true,
  accessLevel: true,
  workflowEnabled: true,
  latestVersion: true,
  publishedVersion: true,
  createdAt: true,
  updatedAt: true,
  brands: { select: { brandId: true }, orderBy: { brandId: "asc" as const } },
} as const;

type Row = Prisma.InboundEndpointGetPayload<{ select: typeof select }>;
const toEndpoint = ({ brands, ...row }: Row): InboundEndpoint => ({ ...row, brandIds: brands.map((b) => b.brandId) });

/** Executions are deleted this many at a time before their endpoint, so no transaction grows with them. */
const EXECUTION_BATCH = 5_000;

export function inboundEndpointRepository(prisma: PrismaClient, tenantId: string) {
  const find = async (id: string): Promise<InboundEndpoint | null> => {
    const row = await prisma.inboundEndpoint.findFirst({ where: { id, tenantId }, select });
    return row && toEndpoint(row);
  };

  /** Under the routing lock: refuses (rolling back) if the endpoint as it would be clashes with another. */
  const refuseClash = async (
    tx: Prisma.TransactionClient,
    candidate: { id: string; path: string; method: string; brandIds: readonly string[] },
  ) => {
    const routes = await lockRoutes(tx, tenantId);
    const clash = findEndpointClash(candidate, routes.endpoints, routes.environments);
    if (clash)
      throw new RefusedChange<InboundEndpointClash>({ outcome: "clash", endpointId: clash.id, path: clash.path, method: clash.method });
  };

  return {
    find,

    async list(page: PageRequest): Promise<Page<InboundEndpoint>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.inboundEndpoint.findMany({ where: { tenantId, ...idAfter }, select, ...rest });
      return toPage(rows.map(toEndpoint), page.limit);
    },

    async create(input: NewInboundEndpoint): Promise<InboundEndpoint | InboundEndpointClash> {
      const id = newId("inboundEndpoint");
      const refused = await refusable<void, InboundEndpointClash>(
        prisma.$transaction(async (tx) => {
          await refuseClash(tx, { id, path: input.path, method: input.method, brandIds: input.brandIds });
          await tx.inboundEndpoint.create({
            data: {
              id,
              tenantId,
              name: input.name,
              description: input.description ?? null,
              path: input.path,
              method: input.method,
              accessLevel: input.accessLevel,
            },
          });
          await tx.inboundEndpointBrand.createMany({ data: input.brandIds.map((brandId) => ({ tenantId, endpointId: id, brandId })) });
        }),
      );
      return refused ?? ((await find(id)) as InboundEndpoint);
    },

    async update(id: string, patch: InboundEndpointPatch): Promise<InboundEndpoint | "not_found" | InboundEndpointClash> {
      const result = await refusable<"not_found" | undefined, InboundEndpointClash>(
        prisma.$transaction(async (tx) => {
          const current = await tx.inboundEndpoint.findFirst({ where: { id, tenantId }, select });
          if (!current) return "not_found";
          const routing = patch.path !== undefined || patch.method !== undefined || patch.brandIds !== undefined;
          if (routing) {
            await refuseClash(tx, {
              id,
              path: patch.path ?? current.path,
              method: patch.method ?? current.method,
              brandIds: patch.brandIds ?? current.brands.map((b) => b.brandId),
            });
          }
          await tx.inboundEndpoint.update({
            where: { id, tenantId },
            data: {
              ...(patch.name !== undefined && { name: patch.name }),
              ...(patch.description !== undefined && { description: patch.description }),
              ...(patch.path !== undefined && { path: patch.path }),
              ...(patch.method !== undefined && { method: patch.method }),
              ...(patch.accessLevel !== undefined && { accessLevel: patch.accessLevel }),
            },
          });
          if (patch.brandIds !== undefined) {
            await tx.inboundEndpointBrand.deleteMany({ where: { tenantId, endpointId: id } });
            await tx.inboundEndpointBrand.createMany({ data: patch.brandIds.map((brandId) => ({ tenantId, endpointId: id, brandId })) });
          }
          return undefined;
        }),
      );
      if (result !== undefined) return result;
      return (await find(id)) ?? "not_found";
    },

    /**
     * For good: the endpoint, its workflow versions and its executions. Executions go first, a
     * batch at a time, so an endpoint called millions of times is not one huge transaction.
     */
    async delete(id: string): Promise<boolean> {
      if (!(await prisma.inboundEndpoint.count({ where: { id, tenantId } }))) return false;
      for (;;) {
        const deleted = await prisma.$executeRaw`
          DELETE FROM executions WHERE id IN (
            SELECT id FROM executions WHERE endpoint_id = ${id} AND tenant_id = ${tenantId} ${limitOf(EXECUTION_BATCH)})`;
        if (deleted < EXECUTION_BATCH) break;
      }
      const { count } = await prisma.inboundEndpoint.deleteMany({ where: { id, tenantId } });
      return count > 0;
    },
  };
}

export type InboundEndpointRepository = ReturnType<typeof inboundEndpointRepository>;
