import { newId, type SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Endpoint, Subscription } from "../generated/prisma/client.js";
import { openEndpointRow, sealSecret } from "../secrets/endpoint-secrets.js";
import { pageQuery, toPage, type Page, type PageRequest } from "./pagination.js";
import { deleteEndpoint } from "./endpoint-deletion.js";

/**
 * Monite-style webhook settings (001) are a view over the one engine: each setting is an endpoint
 * of flavour `monite` with one subscription to its object type's events.
 */
export type WebhookSetting = Endpoint & { subscriptions: Subscription[] };

export interface WebhookSettingInput {
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly eventTypes: string[];
}

const MONITE = { flavour: "monite" as const };

export function webhookSettingRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const find = async (id: string): Promise<WebhookSetting | null> => {
    const row = await prisma.endpoint.findFirst({ where: { id, tenantId, ...MONITE }, include: { subscriptions: true } });
    return row && openEndpointRow(cipher, row);
  };

  return {
    find,

    async create(input: WebhookSettingInput): Promise<WebhookSetting> {
      const id = newId("endpoint");
      await prisma.$transaction([
        prisma.endpoint.create({
          data: {
            id,
            tenantId,
            ...MONITE,
            name: input.name,
            url: input.url,
            secret: sealSecret(cipher, id, "secret", input.secret),
            headersJson: {},
          },
        }),
        prisma.subscription.create({ data: { id: newId("subscription"), tenantId, endpointId: id, eventTypes: input.eventTypes } }),
      ]);
      return (await find(id)) as WebhookSetting;
    },

    async list(page: PageRequest): Promise<Page<WebhookSetting>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.endpoint.findMany({
        where: { tenantId, ...MONITE, ...idAfter },
        include: { subscriptions: true },
        ...rest,
      });
      return toPage(
        rows.map((row) => openEndpointRow(cipher, row)),
        page.limit,
      );
    },

    async update(id: string, patch: Partial<Omit<WebhookSettingInput, "secret">>): Promise<WebhookSetting | null> {
      const current = await find(id);
      if (!current) return null;
      await prisma.$transaction([
        prisma.endpoint.update({
          where: { id, tenantId },
          data: { ...(patch.name !== undefined && { name: patch.name }), ...(patch.url !== undefined && { url: patch.url }) },
        }),
        ...(patch.eventTypes === undefined
          ? []
          : [
              prisma.subscription.deleteMany({ where: { endpointId: id, tenantId } }),
              prisma.subscription.create({ data: { id: newId("subscription"), tenantId, endpointId: id, eventTypes: patch.eventTypes } }),
            ]),
      ]);
      return find(id);
    },

    delete(id: string): Promise<boolean> {
      return deleteEndpoint(prisma, { id, tenantId, ...MONITE });
    },
  };
}

export type WebhookSettingRepository = ReturnType<typeof webhookSettingRepository>;
