import { newId, type SecretCipher } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { Endpoint } from "../generated/prisma/client.js";
import {
  livePreviousSecrets,
  MAX_PREVIOUS_SECRETS,
  openEndpointRow,
  sealSecret,
  type PreviousSecret,
} from "../secrets/endpoint-secrets.js";
import { releaseHeldDeliveries, type ReleasedBatch } from "./due-again.js";
import { pageQuery, toPage, type Page, type PageRequest } from "./pagination.js";
import { deleteEndpoint } from "./endpoint-deletion.js";

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
  /** The update made a paused or disabled endpoint active: its held deliveries are to be released. */
  readonly resumed: boolean;
}

export interface RotatedSecret {
  /** When the secret that was replaced stops signing; null when the grace period was zero. */
  readonly previousExpiresAt: Date | null;
}

/**
 * Every endpoint query of the control plane goes through here, bound to one tenant. Secrets are
 * sealed on the way in and opened on the way out, so nothing above this layer sees a sealed value.
 */
export function endpointRepository(prisma: PrismaClient, cipher: SecretCipher, tenantId: string) {
  const open = (row: Endpoint) => openEndpointRow(cipher, row);
  return {
    async create(input: NewEndpoint): Promise<Endpoint> {
      const id = newId("endpoint");
      const row = await prisma.endpoint.create({
        data: {
          id,
          tenantId,
          name: input.name,
          url: input.url,
          secret: sealSecret(cipher, id, "secret", input.secret),
          headersJson: input.headers,
          timeoutSeconds: input.timeoutSeconds,
        },
      });
      return open(row);
    },

    async find(id: string): Promise<Endpoint | null> {
      const row = await prisma.endpoint.findFirst({ where: { id, tenantId } });
      return row && open(row);
    },

    async list(page: PageRequest): Promise<Page<Endpoint>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.endpoint.findMany({ where: { tenantId, ...idAfter }, ...rest });
      return toPage(rows.map(open), page.limit);
    },

    /**
     * Replaces the secret and keeps the replaced one signing for `graceMs` (zero: not at all).
     * Secrets from earlier rotations keep their own expiry; at most MAX_PREVIOUS_SECRETS stay.
     */
    async rotateSecret(id: string, secret: string, graceMs: number): Promise<RotatedSecret | null> {
      return prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ secret: string; previous_secrets: unknown }[]>`
          SELECT secret, previous_secrets FROM endpoints WHERE id = ${id} AND tenant_id = ${tenantId} FOR UPDATE`;
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
     * Applies a partial update. Pausing stamps `paused_at` once (pausing a paused endpoint keeps
     * the first time); resuming a paused or disabled endpoint clears it, and `resumed` tells the
     * caller to release the held deliveries (`releaseHeld`), which are too many, after a long
     * pause, for this transaction. Returns null for an id this tenant does not own.
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
            ...(patch.secret !== undefined && { secret: sealSecret(cipher, id, "secret", patch.secret) }),
            ...(patch.headers !== undefined && { headersJson: patch.headers }),
            ...(patch.timeoutSeconds !== undefined && { timeoutSeconds: patch.timeoutSeconds }),
            ...statusChange,
          },
        });
        return { endpoint: open(endpoint), resumed: changes && patch.status === "ACTIVE" };
      });
    },

    /**
     * After a resume: makes the endpoint's held deliveries due again, a batch at a time in publish
     * order, handing each batch to `released` (to enqueue) once committed. Returns how many.
     */
    releaseHeld(id: string, released: ReleasedBatch): Promise<number> {
      return releaseHeldDeliveries(prisma, { tenantId, endpointId: id }, released);
    },

    /** With its deliveries and their attempts, a batch at a time (see endpoint-deletion.ts). */
    delete(id: string): Promise<boolean> {
      return deleteEndpoint(prisma, { id, tenantId });
    },
  };
}

export type EndpointRepository = ReturnType<typeof endpointRepository>;
