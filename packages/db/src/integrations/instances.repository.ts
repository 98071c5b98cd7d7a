import { newId, type IntegrationDefinition, type SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Prisma } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { RefusedChange, refusable } from "../inbound/refusal.js";
import { hashKey, newApiKey, newTriggerToken, openApiKey, sealApiKey, sealConfig, type StoredConfigValue } from "./integration-secrets.js";

export interface ConfigInput {
  readonly value: string;
  readonly secret: boolean;
}

/** An instance as it leaves the data layer: secret config values hidden, API keys opened. */
export interface Instance {
  readonly id: string;
  readonly integrationId: string;
  readonly customerId: string;
  readonly version: number;
  readonly config: Record<string, { readonly value: string | null; readonly secret: boolean }>;
  readonly token: string | null;
  readonly flows: { readonly name: string; readonly token: string | null }[];
  readonly apiKeys: Record<string, string[]>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Why a deployment or an upgrade was refused. */
export type InstanceRefusal =
  | { readonly outcome: "no_such_integration" }
  | { readonly outcome: "no_such_version"; readonly version: number }
  | { readonly outcome: "no_such_customer" }
  | { readonly outcome: "already_deployed"; readonly instanceId: string }
  | { readonly outcome: "api_keys_required"; readonly flow: string }
  | { readonly outcome: "unknown_flow"; readonly flow: string };

type Tx = Prisma.TransactionClient;

function storedConfig(cipher: SecretCipher, instanceId: string, config: Record<string, ConfigInput>): Record<string, StoredConfigValue> {
  return Object.fromEntries(
    Object.entries(config).map(([name, entry]) => [
      name,
      { value: entry.secret ? sealConfig(cipher, instanceId, name, entry.value) : entry.value, secret: entry.secret },
    ]),
  );
}

/**
 * The trigger tokens an instance of this definition needs: one per flow for an instance-and-flow
 * configuration, one for an instance-specific one, none for a shared one (the integration's own
 * token serves every instance). Tokens that are still wanted are kept, so upgrading an instance
 * keeps the URLs its customer configured; the rest are removed.
 */
async function syncTriggers(tx: Tx, tenantId: string, integrationId: string, instanceId: string, definition: IntegrationDefinition) {
  const wanted =
    definition.endpointConfig.type === "instance_and_flow"
      ? definition.flows.map((flow) => ({ kind: "instance_flow" as const, flowName: flow.name as string | null }))
      : definition.endpointConfig.type === "instance"
        ? [{ kind: "instance" as const, flowName: null }]
        : [];
  const existing = await tx.trigger.findMany({ where: { tenantId, instanceId } });
  const same = (a: { kind: string; flowName: string | null }, b: { kind: string; flowName: string | null }) =>
    a.kind === b.kind && a.flowName === b.flowName;
  const stale = existing.filter((trigger) => !wanted.some((want) => same(want, trigger)));
  if (stale.length > 0) await tx.trigger.deleteMany({ where: { tenantId, token: { in: stale.map((t) => t.token) } } });
  const missing = wanted.filter((want) => !existing.some((trigger) => same(want, trigger)));
  if (missing.length > 0) {
    await tx.trigger.createMany({
      data: missing.map((want) => ({
        token: newTriggerToken(),
        tenantId,
        kind: want.kind,
        integrationId,
        instanceId,
        flowName: want.flowName,
      })),
    });
  }
}

/**
 * Stores the keys given for flows secured by the customer, and makes one for each such flow that
 * has none and does not require the customer's own; refuses when a flow requires keys and has none.
 */
async function ensureApiKeys(
  tx: Tx,
  cipher: SecretCipher,
  scope: { tenantId: string; instanceId: string },
  definition: IntegrationDefinition,
  given: Record<string, readonly string[]>,
): Promise<void> {
  for (const flow of Object.keys(given)) {
    if (!definition.flows.some((f) => f.name === flow)) throw new RefusedChange<InstanceRefusal>({ outcome: "unknown_flow", flow });
  }
  const held = await tx.instanceApiKey.findMany({
    where: { tenantId: scope.tenantId, instanceId: scope.instanceId },
    select: { flowName: true },
  });
  for (const flow of definition.flows) {
    if (flow.security.type !== "customer") continue;
    const keys = given[flow.name] ?? [];
    const has = held.some((key) => key.flowName === flow.name);
    if (keys.length === 0 && !has && flow.security.required)
      throw new RefusedChange<InstanceRefusal>({ outcome: "api_keys_required", flow: flow.name });
    const toStore = keys.length > 0 ? keys : has ? [] : [newApiKey()];
    if (toStore.length === 0) continue;
    await tx.instanceApiKey.createMany({
      data: toStore.map((key) => ({
        id: newId("instanceApiKey"),
        tenantId: scope.tenantId,
        instanceId: scope.instanceId,
        flowName: flow.name,
        keyHash: new Uint8Array(hashKey(key)),
        keySealed: sealApiKey(cipher, scope.instanceId, flow.name, key),
      })),
    });
  }
}

export function instanceRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const present = async (row: {
    id: string;
    integrationId: string;
    customerId: string;
    version: number;
    config: unknown;
    createdAt: Date;
    updatedAt: Date;
  }): Promise<Instance> => {
    const [triggers, keys, version] = await Promise.all([
      prisma.trigger.findMany({ where: { tenantId, instanceId: row.id } }),
      prisma.instanceApiKey.findMany({ where: { tenantId, instanceId: row.id }, orderBy: { id: "asc" } }),
      prisma.integrationVersion.findFirst({
        where: { tenantId, integrationId: row.integrationId, version: row.version },
        select: { definition: true },
      }),
    ]);
    const definition = version?.definition as IntegrationDefinition | undefined;
    const apiKeys: Record<string, string[]> = {};
    for (const key of keys) (apiKeys[key.flowName] ??= []).push(openApiKey(cipher, row.id, key.flowName, key.keySealed));
    return {
      id: row.id,
      integrationId: row.integrationId,
      customerId: row.customerId,
      version: row.version,
      config: Object.fromEntries(
        Object.entries((row.config ?? {}) as Record<string, StoredConfigValue>).map(([name, entry]) => [
          name,
          { value: entry.secret ? null : entry.value, secret: entry.secret },
        ]),
      ),
      token: triggers.find((t) => t.kind === "instance")?.token ?? null,
      flows: (definition?.flows ?? []).map((flow) => ({
        name: flow.name,
        token: triggers.find((t) => t.kind === "instance_flow" && t.flowName === flow.name)?.token ?? null,
      })),
      apiKeys,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  };

  const find = async (id: string): Promise<Instance | null> => {
    const row = await prisma.instance.findFirst({ where: { id, tenantId } });
    return row && present(row);
  };

  const definitionOf = async (tx: Tx, integrationId: string, version: number) => {
    const row = await tx.integrationVersion.findFirst({ where: { tenantId, integrationId, version }, select: { definition: true } });
    if (!row) throw new RefusedChange<InstanceRefusal>({ outcome: "no_such_version", version });
    return row.definition as unknown as IntegrationDefinition;
  };

  return {
    find,

    async list(
      page: PageRequest,
      filter: { integrationId?: string | undefined; customerId?: string | undefined },
    ): Promise<Page<Instance>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.instance.findMany({
        where: {
          tenantId,
          ...(filter.integrationId !== undefined && { integrationId: filter.integrationId }),
          ...(filter.customerId !== undefined && { customerId: filter.customerId }),
          ...idAfter,
        },
        ...rest,
      });
      return toPage(await Promise.all(rows.map(present)), page.limit);
    },

    /** A published version to a customer, once per customer and integration, with its URLs and keys. */
    async deploy(input: {
      integrationId: string;
      version: number;
      customerId: string;
      config: Record<string, ConfigInput>;
      apiKeys: Record<string, readonly string[]>;
    }): Promise<Instance | InstanceRefusal> {
      const id = newId("instance");
      const refused = await refusable<void, InstanceRefusal>(
        prisma.$transaction(async (tx) => {
          const integration = await tx.integration.findFirst({ where: { id: input.integrationId, tenantId }, select: { id: true } });
          if (!integration) throw new RefusedChange<InstanceRefusal>({ outcome: "no_such_integration" });
          const customer = await tx.customer.findFirst({ where: { id: input.customerId, tenantId }, select: { id: true } });
          if (!customer) throw new RefusedChange<InstanceRefusal>({ outcome: "no_such_customer" });
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hookline:instance:${input.integrationId}:${input.customerId}`}, 0))`;
          const already = await tx.instance.findFirst({
            where: { tenantId, integrationId: input.integrationId, customerId: input.customerId },
            select: { id: true },
          });
          if (already) throw new RefusedChange<InstanceRefusal>({ outcome: "already_deployed", instanceId: already.id });
          const definition = await definitionOf(tx, input.integrationId, input.version);
          await tx.instance.create({
            data: {
              id,
              tenantId,
              integrationId: input.integrationId,
              customerId: input.customerId,
              version: input.version,
              config: storedConfig(cipher, id, input.config) as unknown as Prisma.InputJsonValue,
            },
          });
          await syncTriggers(tx, tenantId, input.integrationId, id, definition);
          await ensureApiKeys(tx, cipher, { tenantId, instanceId: id }, definition, input.apiKeys);
        }),
      );
      return refused ?? ((await find(id)) as Instance);
    },

    /** Another version (its URLs follow its endpoint configuration; keys are kept), or a new config. */
    async update(
      id: string,
      patch: { version?: number | undefined; config?: Record<string, ConfigInput> | undefined },
    ): Promise<Instance | "not_found" | InstanceRefusal> {
      const refused = await refusable<"not_found" | undefined, InstanceRefusal>(
        prisma.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<{ integration_id: string }[]>`
            SELECT integration_id FROM instances WHERE id = ${id} AND tenant_id = ${tenantId} FOR UPDATE`;
          const row = rows[0];
          if (!row) return "not_found" as const;
          if (patch.version !== undefined) {
            const definition = await definitionOf(tx, row.integration_id, patch.version);
            await tx.instance.update({ where: { id, tenantId }, data: { version: patch.version } });
            await syncTriggers(tx, tenantId, row.integration_id, id, definition);
            await ensureApiKeys(tx, cipher, { tenantId, instanceId: id }, definition, {});
          }
          if (patch.config !== undefined) {
            await tx.instance.update({
              where: { id, tenantId },
              data: { config: storedConfig(cipher, id, patch.config) as unknown as Prisma.InputJsonValue },
            });
          }
          return undefined;
        }),
      );
      if (refused !== undefined) return refused;
      return (await find(id)) ?? "not_found";
    },

    /** With its URLs, keys and executions. */
    async remove(id: string): Promise<boolean> {
      const { count } = await prisma.instance.deleteMany({ where: { id, tenantId } });
      return count > 0;
    },
  };
}

export type InstanceRepository = ReturnType<typeof instanceRepository>;
