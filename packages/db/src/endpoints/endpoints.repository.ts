import { newId, type EndpointFlavour, type SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import { Prisma, type Endpoint, type Subscription } from "../generated/prisma/client.js";
import { livePreviousSecrets, MAX_PREVIOUS_SECRETS, openEndpointRow, sealSecret, type PreviousSecret } from "./endpoint-secrets.js";
import { releaseHeldDeliveries, type ReleasedBatch } from "../events/due-again.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { isForeignKeyViolation, retryOnConflict } from "../database-errors.js";
import { markEndpointDeleted } from "./endpoint-deletion.js";

export type { Endpoint } from "../generated/prisma/client.js";
export type EndpointStatus = Endpoint["status"];
/** An endpoint with its subscriptions, secrets opened: what every endpoint lookup returns. */
export type EndpointWithSubscriptions = Endpoint & { subscriptions: Subscription[] };

/** OAuth 2.0 client credentials an endpoint's deliveries authenticate with. */
export interface EndpointOAuth {
  readonly tokenUrl?: string | undefined;
  readonly clientId?: string | undefined;
  /** Sealed at rest like the signing secret. */
  readonly clientSecret?: string | undefined;
  readonly scope?: string | null | undefined;
}

/** The engine's endpoint fields that an API flavour may set besides the common ones. */
interface EngineFields {
  /** Unique per tenant when set (Momentus names its webhooks uniquely); `name_taken` otherwise. */
  readonly uniqueName?: string | undefined;
  /** False: a synchronous webhook, whose publisher waits for its first attempt. */
  readonly asynchronous?: boolean | undefined;
  /** Never receives events whose origin is `api`. */
  readonly ignoreForApi?: boolean | undefined;
  /** Its deliveries carry a W3C `traceparent` header while tracing is on. */
  readonly sendTraceparent?: boolean | undefined;
  readonly oauth?: EndpointOAuth | undefined;
  /**
   * The endpoint's subscriptions, one event-type list each, written in the same transaction (on
   * an update: replacing every subscription it had).
   */
  readonly subscriptions?: readonly (readonly string[])[] | undefined;
  /**
   * The tenant's customer the endpoint belongs to (null: none). It then receives only that
   * customer's events; `customer_not_found` when the tenant has no such customer.
   */
  readonly customerId?: string | null | undefined;
}

export interface NewEndpoint extends EngineFields {
  /** Which API creates it, and so which payload shape its deliveries carry (default `standard`). */
  readonly flavour?: EndpointFlavour | undefined;
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly headers: Record<string, string>;
  readonly timeoutSeconds: number;
  /** INACTIVE: created switched off (it gets no deliveries until activated); PAUSED: created holding them. */
  readonly status?: "ACTIVE" | "INACTIVE" | "PAUSED" | undefined;
}

export interface EndpointPatch extends EngineFields {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly secret?: string | undefined;
  readonly headers?: Record<string, string> | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly status?: "ACTIVE" | "PAUSED" | "INACTIVE" | undefined;
}

/** Restricts a lookup to the endpoints of one API flavour (each flavour's API sees only its own). */
export interface FlavourScope {
  readonly flavour?: EndpointFlavour | undefined;
}

/** Narrows a listing. */
export interface EndpointFilter {
  /** Only the endpoints of this customer. */
  readonly customerId?: string | undefined;
}

/** Why a write naming a customer wrote nothing: no such customer of the tenant, or a listen endpoint. */
export type CustomerRefusal = "customer_not_found" | "customer_not_allowed";
/** Why a create or update wrote nothing. */
export type EndpointRefusal = "name_taken" | CustomerRefusal;

export interface UpdatedEndpoint {
  readonly endpoint: EndpointWithSubscriptions;
  /** The update made a paused, disabled or inactive endpoint active: its held deliveries are to be released. */
  readonly resumed: boolean;
}

export interface RotatedSecret {
  /** When the secret that was replaced stops signing; null when the grace period was zero. */
  readonly previousExpiresAt: Date | null;
}

const isNameTaken = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** A listen endpoint is one developer's session, never a customer's: it cannot be given one. */
const customerAllowed = (flavour: EndpointFlavour, customerId: string | null | undefined) => !customerId || flavour !== "listen";

/** The refusal a failed write means, or the error again. The composite key refuses a foreign or unknown customer. */
function refusal(error: unknown): EndpointRefusal {
  if (isNameTaken(error)) return "name_taken";
  if (isForeignKeyViolation(error)) return "customer_not_found";
  throw error;
}

/** The columns an engine-fields change writes (secrets sealed for this endpoint's row). */
function engineColumns(cipher: SecretCipher, id: string, fields: EngineFields) {
  const { oauth } = fields;
  return {
    ...(fields.uniqueName !== undefined && { uniqueName: fields.uniqueName }),
    ...(fields.asynchronous !== undefined && { asynchronous: fields.asynchronous }),
    ...(fields.ignoreForApi !== undefined && { ignoreForApi: fields.ignoreForApi }),
    ...(fields.sendTraceparent !== undefined && { sendTraceparent: fields.sendTraceparent }),
    ...(oauth?.tokenUrl !== undefined && { oauthTokenUrl: oauth.tokenUrl }),
    ...(oauth?.clientId !== undefined && { oauthClientId: oauth.clientId }),
    ...(oauth?.clientSecret !== undefined && { oauthClientSecret: sealSecret(cipher, id, "oauth_client_secret", oauth.clientSecret) }),
    ...(oauth?.scope !== undefined && { oauthScope: oauth.scope }),
    ...(fields.customerId !== undefined && { customerId: fields.customerId }),
  };
}

/**
 * Every endpoint of every API flavour goes through here, bound to one tenant: `/v1/endpoints`,
 * Monite's webhook settings and Momentus's webhooks are views of the same rows (the flavour
 * decides only which API sees an endpoint and which body its deliveries carry). Secrets are
 * sealed on the way in and opened on the way out, so nothing above this layer sees a sealed value.
 */
export function endpointRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const open = (row: EndpointWithSubscriptions) => openEndpointRow(cipher, row);
  // An endpoint being deleted (deleted_at set) is gone for every lookup.
  const where = (id: string, scope: FlavourScope) => ({
    id,
    tenantId,
    deletedAt: null,
    ...(scope.flavour !== undefined && { flavour: scope.flavour }),
  });
  const include = { subscriptions: { orderBy: { id: "asc" as const } } };

  const find = async (id: string, scope: FlavourScope = {}): Promise<EndpointWithSubscriptions | null> => {
    const row = await prisma.endpoint.findFirst({ where: where(id, scope), include });
    return row && open(row);
  };

  /**
   * Creates the endpoint and its subscriptions in one transaction. Only an endpoint with a
   * unique name can find it taken (`name_taken`), and only one given a customer can find that
   * customer missing (`customer_not_found`, also for another tenant's) or not allowed (`listen`).
   */
  function create(
    input: NewEndpoint & { readonly uniqueName?: undefined; readonly customerId?: undefined },
  ): Promise<EndpointWithSubscriptions>;
  function create(input: NewEndpoint & { readonly uniqueName?: undefined }): Promise<EndpointWithSubscriptions | CustomerRefusal>;
  function create(input: NewEndpoint): Promise<EndpointWithSubscriptions | EndpointRefusal>;
  async function create(input: NewEndpoint): Promise<EndpointWithSubscriptions | EndpointRefusal> {
    const id = newId("endpoint");
    if (!customerAllowed(input.flavour ?? "standard", input.customerId)) return "customer_not_allowed";
    try {
      await prisma.$transaction([
        prisma.endpoint.create({
          data: {
            id,
            tenantId,
            flavour: input.flavour ?? "standard",
            name: input.name,
            url: input.url,
            secret: sealSecret(cipher, id, "secret", input.secret),
            headersJson: input.headers,
            timeoutSeconds: input.timeoutSeconds,
            ...(input.status !== undefined && { status: input.status }),
            ...(input.status === "PAUSED" && { pausedAt: new Date() }),
            ...engineColumns(cipher, id, input),
          },
        }),
        ...(input.subscriptions ?? []).map((eventTypes) =>
          prisma.subscription.create({ data: { id: newId("subscription"), tenantId, endpointId: id, eventTypes: [...eventTypes] } }),
        ),
      ]);
    } catch (error) {
      return refusal(error);
    }
    return (await find(id)) as EndpointWithSubscriptions;
  }

  return {
    create,

    find,

    async list(page: PageRequest, scope: FlavourScope = {}, filter: EndpointFilter = {}): Promise<Page<EndpointWithSubscriptions>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.endpoint.findMany({
        where: {
          tenantId,
          deletedAt: null,
          ...(scope.flavour !== undefined && { flavour: scope.flavour }),
          ...(filter.customerId !== undefined && { customerId: filter.customerId }),
          ...idAfter,
        },
        include,
        ...rest,
      });
      return toPage(rows.map(open), page.limit);
    },

    /**
     * Replaces the secret and keeps the replaced one signing for `graceMs` (zero: not at all).
     * Secrets from earlier rotations keep their own expiry; at most MAX_PREVIOUS_SECRETS stay.
     */
    async rotateSecret(id: string, secret: string, graceMs: number): Promise<RotatedSecret | null> {
      return prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ secret: string; previous_secrets: unknown }[]>`
          SELECT secret, previous_secrets FROM endpoints WHERE id = ${id} AND tenant_id = ${tenantId} AND deleted_at IS NULL FOR UPDATE`;
        const current = rows[0];
        if (!current) return null;
        const now = new Date();
        const previousExpiresAt = graceMs > 0 ? new Date(now.getTime() + graceMs) : null;
        // The sealed value moves as it is: current and previous secrets share the `secret` context.
        const previous: PreviousSecret[] = [
          ...(previousExpiresAt ? [{ secret: current.secret, expires_at: previousExpiresAt.toISOString() }] : []),
          ...livePreviousSecrets(current.previous_secrets, now),
        ].slice(0, MAX_PREVIOUS_SECRETS);
        await tx.endpoint.update({
          where: { id, tenantId },
          data: { secret: sealSecret(cipher, id, "secret", secret), previousSecrets: previous as unknown as object[] },
        });
        return { previousExpiresAt };
      });
    },

    /**
     * Applies a partial update in one transaction. Pausing stamps `paused_at` once (pausing a
     * paused endpoint keeps the first time); making a paused, disabled or inactive endpoint active
     * clears `paused_at`, the disabling and the run of failures, and `resumed` tells the caller to
     * release the held deliveries (`releaseHeld`), which are too many, after a long pause, for
     * this transaction.
     */
    async update(id: string, patch: EndpointPatch, scope: FlavourScope = {}): Promise<UpdatedEndpoint | "not_found" | EndpointRefusal> {
      try {
        // Changing routing (status, flags, subscriptions) also updates the tenant's routing row
        // (tenant_routing): a concurrent change of one of these subscriptions can deadlock with
        // it, and Postgres then undoes one of the two; that one runs again.
        const resumed = await retryOnConflict(() =>
          prisma.$transaction(async (tx) => {
            const current = await tx.endpoint.findFirst({ where: where(id, scope), select: { status: true, flavour: true } });
            if (!current) return undefined;
            if (!customerAllowed(current.flavour, patch.customerId)) return "customer_not_allowed" as const;
            const changes = patch.status !== undefined && patch.status !== current.status;
            const statusChange = !changes
              ? {}
              : patch.status === "PAUSED"
                ? { status: "PAUSED" as const, pausedAt: new Date() }
                : patch.status === "INACTIVE"
                  ? { status: "INACTIVE" as const }
                  : { status: "ACTIVE" as const, pausedAt: null, disabledAt: null, disabledReason: null, failingSince: null };
            await tx.endpoint.update({
              where: { id, tenantId },
              data: {
                ...(patch.name !== undefined && { name: patch.name }),
                ...(patch.url !== undefined && { url: patch.url }),
                ...(patch.secret !== undefined && { secret: sealSecret(cipher, id, "secret", patch.secret) }),
                ...(patch.headers !== undefined && { headersJson: patch.headers }),
                ...(patch.timeoutSeconds !== undefined && { timeoutSeconds: patch.timeoutSeconds }),
                ...engineColumns(cipher, id, patch),
                ...statusChange,
              },
            });
            if (patch.subscriptions !== undefined) {
              await tx.subscription.deleteMany({ where: { endpointId: id, tenantId } });
              await tx.subscription.createMany({
                data: patch.subscriptions.map((eventTypes) => ({
                  id: newId("subscription"),
                  tenantId,
                  endpointId: id,
                  eventTypes: [...eventTypes],
                })),
              });
            }
            return changes && patch.status === "ACTIVE";
          }),
        );
        if (resumed === undefined) return "not_found";
        if (resumed === "customer_not_allowed") return resumed;
        const endpoint = await find(id);
        return endpoint ? { endpoint, resumed } : "not_found";
      } catch (error) {
        return refusal(error);
      }
    },

    /**
     * After a resume: makes the endpoint's held deliveries due again, a batch at a time in publish
     * order, handing each batch to `released` (to enqueue) once committed. Returns how many.
     */
    releaseHeld(id: string, released: ReleasedBatch): Promise<number> {
      return releaseHeldDeliveries(prisma, { tenantId, endpointId: id }, released);
    },

    /** Ids of this flavour's endpoints paused and untouched since `before` (abandoned listen sessions). */
    async pausedSince(flavour: EndpointFlavour, before: Date): Promise<string[]> {
      const rows = await prisma.endpoint.findMany({
        where: { tenantId, flavour, status: "PAUSED", updatedAt: { lt: before }, deletedAt: null },
        select: { id: true },
        orderBy: { id: "asc" },
        take: 100,
      });
      return rows.map((row) => row.id);
    },

    /**
     * Marks the endpoint deleted and removes its subscriptions, at once whatever its history; the
     * workers delete its deliveries and attempts in the background (see endpoint-deletion.ts).
     */
    delete(id: string, scope: FlavourScope = {}): Promise<boolean> {
      return markEndpointDeleted(prisma, { id, tenantId, ...(scope.flavour !== undefined && { flavour: scope.flavour }) });
    },
  };
}

export type EndpointRepository = ReturnType<typeof endpointRepository>;
