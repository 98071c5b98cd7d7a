import { newId, type SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import { Prisma, type Endpoint, type Subscription } from "../generated/prisma/client.js";
import { releaseHeldDeliveries, type ReleasedBatch } from "./due-again.js";
import { openEndpointRow, sealSecret } from "../secrets/endpoint-secrets.js";
import { pageQuery, toPage, type Page, type PageRequest } from "./pagination.js";
import { deleteEndpoint } from "./endpoint-deletion.js";

/**
 * Momentus-style webhooks (003) on the one engine: an endpoint of flavour `momentus`, its name
 * unique per tenant, with one subscription to its trigger action. Inactive means status INACTIVE.
 */
export type MomentusWebhook = Endpoint & { subscriptions: Subscription[] };

export interface MomentusWebhookFields {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly secret?: string | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly asynchronous?: boolean | undefined;
  readonly ignoreForApi?: boolean | undefined;
  readonly active?: boolean | undefined;
  readonly oauth?: { tokenUrl?: string; clientId?: string; clientSecret?: string; scope?: string | null } | undefined;
}

const MOMENTUS = { flavour: "momentus" as const };
const isNameTaken = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

function columns(cipher: SecretCipher, id: string, fields: MomentusWebhookFields) {
  return {
    ...(fields.name !== undefined && { name: fields.name, uniqueName: fields.name }),
    ...(fields.url !== undefined && { url: fields.url }),
    ...(fields.secret !== undefined && { secret: sealSecret(cipher, id, "secret", fields.secret) }),
    ...(fields.timeoutSeconds !== undefined && { timeoutSeconds: fields.timeoutSeconds }),
    ...(fields.asynchronous !== undefined && { asynchronous: fields.asynchronous }),
    ...(fields.ignoreForApi !== undefined && { ignoreForApi: fields.ignoreForApi }),
    ...(fields.active !== undefined && { status: fields.active ? ("ACTIVE" as const) : ("INACTIVE" as const) }),
    ...(fields.oauth?.tokenUrl !== undefined && { oauthTokenUrl: fields.oauth.tokenUrl }),
    ...(fields.oauth?.clientId !== undefined && { oauthClientId: fields.oauth.clientId }),
    ...(fields.oauth?.clientSecret !== undefined && {
      oauthClientSecret: sealSecret(cipher, id, "oauth_client_secret", fields.oauth.clientSecret),
    }),
    ...(fields.oauth?.scope !== undefined && { oauthScope: fields.oauth.scope }),
  };
}

export function momentusWebhookRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const find = async (id: string): Promise<MomentusWebhook | null> => {
    const row = await prisma.endpoint.findFirst({ where: { id, tenantId, ...MOMENTUS }, include: { subscriptions: true } });
    return row && openEndpointRow(cipher, row);
  };

  return {
    find,

    async create(
      triggerAction: string,
      fields: MomentusWebhookFields & { name: string; url: string; secret: string; timeoutSeconds: number },
    ) {
      const id = newId("endpoint");
      try {
        await prisma.$transaction([
          prisma.endpoint.create({
            data: {
              id,
              tenantId,
              ...MOMENTUS,
              headersJson: {},
              ...columns(cipher, id, fields),
              name: fields.name,
              url: fields.url,
              secret: sealSecret(cipher, id, "secret", fields.secret),
            },
          }),
          prisma.subscription.create({ data: { id: newId("subscription"), tenantId, endpointId: id, eventTypes: [triggerAction] } }),
        ]);
      } catch (error) {
        if (isNameTaken(error)) return "name_taken" as const;
        throw error;
      }
      return (await find(id)) as MomentusWebhook;
    },

    async list(page: PageRequest): Promise<Page<MomentusWebhook>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.endpoint.findMany({
        where: { tenantId, ...MOMENTUS, ...idAfter },
        include: { subscriptions: true },
        ...rest,
      });
      return toPage(
        rows.map((row) => openEndpointRow(cipher, row)),
        page.limit,
      );
    },

    /**
     * Applies the change. Activating releases any delivery held while the webhook was inactive
     * (ones already due when it was switched off), a batch at a time in publish order, each batch
     * handed to `released` (to enqueue) once committed.
     */
    async update(
      id: string,
      fields: MomentusWebhookFields,
      released: ReleasedBatch,
    ): Promise<{ webhook: MomentusWebhook } | "not_found" | "name_taken"> {
      try {
        const { count } = await prisma.endpoint.updateMany({ where: { id, tenantId, ...MOMENTUS }, data: columns(cipher, id, fields) });
        if (count === 0) return "not_found";
      } catch (error) {
        if (isNameTaken(error)) return "name_taken";
        throw error;
      }
      if (fields.active === true) await releaseHeldDeliveries(prisma, { tenantId, endpointId: id }, released);
      const webhook = await find(id);
      return webhook ? { webhook } : "not_found";
    },

    delete(id: string): Promise<boolean> {
      return deleteEndpoint(prisma, { id, tenantId, ...MOMENTUS });
    },
  };
}
