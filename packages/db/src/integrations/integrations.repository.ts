import { newId, type IntegrationDefinition, type SecretCipher, type StoredFlow } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { hashKey, newTriggerToken, openOrganizationKey, sealOrganizationKey } from "./integration-secrets.js";

/** A flow as the tenant writes it: its source compiled, and the organization key in the clear. */
export interface FlowInput {
  readonly name: string;
  readonly source: string;
  readonly compiled: string;
  readonly security:
    | { readonly type: "none" }
    | { readonly type: "customer"; readonly required: boolean }
    | { readonly type: "organization"; readonly key: string };
}

export interface IntegrationInput {
  readonly flows: readonly FlowInput[];
  readonly endpointConfig: IntegrationDefinition["endpointConfig"];
}

/** An integration as it leaves the data layer: its draft with organization keys opened. */
export interface Integration {
  readonly id: string;
  readonly name: string;
  readonly flows: readonly {
    readonly name: string;
    readonly source: string;
    readonly security:
      | { readonly type: "none" }
      | { readonly type: "customer"; readonly required: boolean }
      | { readonly type: "organization"; readonly organizationKey: string };
  }[];
  readonly endpointConfig: IntegrationDefinition["endpointConfig"];
  readonly versions: number[];
  readonly sharedToken: string;
  readonly shared: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The stored definition: organization keys sealed (for this integration) and hashed. */
function toDefinition(cipher: SecretCipher, integrationId: string, input: IntegrationInput): IntegrationDefinition {
  return {
    endpointConfig: input.endpointConfig,
    flows: input.flows.map((flow): StoredFlow => ({
      name: flow.name,
      source: flow.source,
      compiled: flow.compiled,
      security:
        flow.security.type === "organization"
          ? {
              type: "organization",
              keySealed: sealOrganizationKey(cipher, integrationId, flow.name, flow.security.key),
              keyHash: hashKey(flow.security.key).toString("base64"),
            }
          : flow.security,
    })),
  };
}

const asJson = (definition: IntegrationDefinition) => definition as unknown as Prisma.InputJsonValue;

export function integrationRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const present = async (row: { id: string; name: string; draft: unknown; createdAt: Date; updatedAt: Date }): Promise<Integration> => {
    const draft = row.draft as IntegrationDefinition;
    const [versions, trigger] = await Promise.all([
      prisma.integrationVersion.findMany({
        where: { tenantId, integrationId: row.id },
        select: { version: true, definition: true },
        orderBy: { version: "asc" },
      }),
      prisma.trigger.findFirst({ where: { tenantId, integrationId: row.id, kind: "shared" }, select: { token: true } }),
    ]);
    return {
      id: row.id,
      name: row.name,
      flows: draft.flows.map((flow) => ({
        name: flow.name,
        source: flow.source,
        security:
          flow.security.type === "organization"
            ? { type: "organization", organizationKey: openOrganizationKey(cipher, row.id, flow.name, flow.security.keySealed) }
            : flow.security,
      })),
      endpointConfig: draft.endpointConfig,
      versions: versions.map((v) => v.version),
      sharedToken: trigger?.token ?? "",
      shared:
        draft.endpointConfig.type === "shared" ||
        versions.some((v) => (v.definition as unknown as IntegrationDefinition).endpointConfig.type === "shared"),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  };

  const find = async (id: string): Promise<Integration | null> => {
    const row = await prisma.integration.findFirst({ where: { id, tenantId } });
    return row && present(row);
  };

  return {
    find,

    /** With its shared endpoint's token, made once: the shared URL never changes. */
    async create(input: { name: string } & IntegrationInput): Promise<Integration> {
      const id = newId("integration");
      await prisma.$transaction([
        prisma.integration.create({ data: { id, tenantId, name: input.name, draft: asJson(toDefinition(cipher, id, input)) } }),
        prisma.trigger.create({ data: { token: newTriggerToken(), tenantId, kind: "shared", integrationId: id } }),
      ]);
      return (await find(id)) as Integration;
    },

    async list(page: PageRequest): Promise<Page<Integration>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.integration.findMany({ where: { tenantId, ...idAfter }, ...rest });
      return toPage(await Promise.all(rows.map(present)), page.limit);
    },

    /** Edits the draft (flows replaced as a whole, the endpoint configuration likewise); published versions stay as they were. */
    async update(
      id: string,
      patch: {
        name?: string | undefined;
        flows?: readonly FlowInput[] | undefined;
        endpointConfig?: IntegrationDefinition["endpointConfig"] | undefined;
      },
    ): Promise<Integration | null> {
      const updated = await prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<
          { draft: IntegrationDefinition }[]
        >`SELECT draft FROM integrations WHERE id = ${id} AND tenant_id = ${tenantId} FOR UPDATE`;
        const current = rows[0]?.draft;
        if (!current) return false;
        const flows =
          patch.flows === undefined
            ? current.flows
            : toDefinition(cipher, id, { flows: patch.flows, endpointConfig: current.endpointConfig }).flows;
        const draft: IntegrationDefinition = { flows, endpointConfig: patch.endpointConfig ?? current.endpointConfig };
        await tx.integration.update({
          where: { id, tenantId },
          data: { ...(patch.name !== undefined && { name: patch.name }), draft: asJson(draft) },
        });
        return true;
      });
      return updated ? find(id) : null;
    },

    /** The draft as stored (compiled flows, keys sealed), for publishing and test invocations. */
    async draft(id: string): Promise<IntegrationDefinition | null> {
      const row = await prisma.integration.findFirst({ where: { id, tenantId }, select: { draft: true } });
      return row && (row.draft as unknown as IntegrationDefinition);
    },

    /** Freezes the draft as the next version (numbered under a lock on the integration's row). */
    async publish(id: string): Promise<{ version: number; createdAt: Date } | null> {
      return prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<
          { draft: unknown }[]
        >`SELECT draft FROM integrations WHERE id = ${id} AND tenant_id = ${tenantId} FOR UPDATE`;
        const row = rows[0];
        if (!row) return null;
        const last = await tx.integrationVersion.findFirst({
          where: { tenantId, integrationId: id },
          orderBy: { version: "desc" },
          select: { version: true },
        });
        const version = (last?.version ?? 0) + 1;
        const created = await tx.integrationVersion.create({
          data: { tenantId, integrationId: id, version, definition: row.draft as Prisma.InputJsonValue },
        });
        await tx.integration.update({ where: { id, tenantId }, data: { updatedAt: new Date() } });
        return { version, createdAt: created.createdAt };
      });
    },

    async version(id: string, version: number): Promise<IntegrationDefinition | null> {
      const row = await prisma.integrationVersion.findFirst({
        where: { tenantId, integrationId: id, version },
        select: { definition: true },
      });
      return row && (row.definition as unknown as IntegrationDefinition);
    },

    /** With its versions, instances, triggers and executions. */
    async delete(id: string): Promise<boolean> {
      const { count } = await prisma.integration.deleteMany({ where: { id, tenantId } });
      return count > 0;
    },
  };
}

export type IntegrationRepository = ReturnType<typeof integrationRepository>;
