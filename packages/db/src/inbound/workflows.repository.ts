import { newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";

/** One saved version of a workflow. */
export interface WorkflowVersion {
  readonly id: string;
  readonly version: number;
  /** The tenant's TypeScript, as saved. */
  readonly source: string;
  readonly createdAt: Date;
}

/** An endpoint's workflow: whether it runs, and which version each kind of environment runs. */
export interface WorkflowState {
  readonly endpointId: string;
  readonly enabled: boolean;
  readonly latestVersion: number | null;
  readonly publishedVersion: number | null;
  /** The latest version, or null before the first save. */
  readonly latest: WorkflowVersion | null;
}

export interface WorkflowChange {
  /** A new version: the source and the JavaScript it compiled to. */
  readonly code?: { readonly source: string; readonly compiled: string } | undefined;
  readonly enabled?: boolean | undefined;
  /** Publish the version saved by this change (or, without one, the latest). */
  readonly publish?: boolean | undefined;
}

const versionFields = { id: true, version: true, source: true, createdAt: true } as const;

export function workflowRepository(prisma: PrismaClient, tenantId: string) {
  const state = async (endpointId: string): Promise<WorkflowState | null> => {
    const endpoint = await prisma.inboundEndpoint.findFirst({
      where: { id: endpointId, tenantId },
      select: { workflowEnabled: true, latestVersion: true, publishedVersion: true },
    });
    if (!endpoint) return null;
    const latest =
      endpoint.latestVersion === null
        ? null
        : await prisma.workflowVersion.findFirst({
            where: { tenantId, endpointId, version: endpoint.latestVersion },
            select: versionFields,
          });
    return {
      endpointId,
      enabled: endpoint.workflowEnabled,
      latestVersion: endpoint.latestVersion,
      publishedVersion: endpoint.publishedVersion,
      latest,
    };
  };

  return {
    state,

    /**
     * Saves a new version (numbered one past the latest, under a lock on the endpoint's row, so
     * two saves never take the same number), enables or disables, publishes: one transaction.
     * `nothing_to_publish`: publishing was asked before any version was saved.
     */
    async change(endpointId: string, change: WorkflowChange): Promise<WorkflowState | "not_found" | "nothing_to_publish"> {
      const outcome = await prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ latest_version: number | null }[]>`
          SELECT latest_version FROM inbound_endpoints WHERE id = ${endpointId} AND tenant_id = ${tenantId} FOR UPDATE`;
        const row = rows[0];
        if (!row) return "not_found" as const;
        let latest = row.latest_version;
        if (change.code) {
          latest = (latest ?? 0) + 1;
          await tx.workflowVersion.create({
            data: {
              id: newId("workflowVersion"),
              tenantId,
              endpointId,
              version: latest,
              source: change.code.source,
              compiled: change.code.compiled,
            },
          });
        }
        if (change.publish && latest === null) return "nothing_to_publish" as const;
        await tx.inboundEndpoint.update({
          where: { id: endpointId, tenantId },
          data: {
            latestVersion: latest,
            ...(change.publish && { publishedVersion: latest }),
            ...(change.enabled !== undefined && { workflowEnabled: change.enabled }),
          },
        });
        return undefined;
      });
      return outcome ?? ((await state(endpointId)) as WorkflowState);
    },

    /** Makes an earlier (or the latest) saved version the one live environments run. */
    async publish(endpointId: string, version: number | undefined): Promise<WorkflowState | "not_found" | "no_such_version"> {
      const endpoint = await prisma.inboundEndpoint.findFirst({ where: { id: endpointId, tenantId }, select: { latestVersion: true } });
      if (!endpoint) return "not_found";
      const chosen = version ?? endpoint.latestVersion;
      if (chosen === null || !(await prisma.workflowVersion.count({ where: { tenantId, endpointId, version: chosen } }))) {
        return "no_such_version";
      }
      await prisma.inboundEndpoint.updateMany({ where: { id: endpointId, tenantId }, data: { publishedVersion: chosen } });
      return (await state(endpointId)) ?? "not_found";
    },

    /** Versions newest last, without their source (see `version`). Null when the endpoint is not the tenant's. */
    async versions(endpointId: string, page: PageRequest): Promise<Page<Omit<WorkflowVersion, "source">> | null> {
      if (!(await prisma.inboundEndpoint.count({ where: { id: endpointId, tenantId } }))) return null;
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.workflowVersion.findMany({
        where: { tenantId, endpointId, ...idAfter },
        select: { id: true, version: true, createdAt: true },
        ...rest,
      });
      return toPage(rows, page.limit);
    },

    version(endpointId: string, version: number): Promise<WorkflowVersion | null> {
      return prisma.workflowVersion.findFirst({ where: { tenantId, endpointId, version }, select: versionFields });
    },

    /** The compiled code of a version, for a preview run. */
    async compiled(endpointId: string, version: number): Promise<{ id: string; compiled: string } | null> {
      return prisma.workflowVersion.findFirst({ where: { tenantId, endpointId, version }, select: { id: true, compiled: true } });
    },
  };
}

export type WorkflowRepository = ReturnType<typeof workflowRepository>;
