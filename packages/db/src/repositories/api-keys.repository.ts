import { issueApiKey, newId } from "@hookline/core";
import type { PrismaClient } from "../client.js";
import type { ApiKey } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "./pagination.js";

export type ApiKeyRecord = Omit<ApiKey, "secretHash">;
const PUBLIC_FIELDS = { id: true, tenantId: true, name: true, createdAt: true, expiresAt: true, revokedAt: true } as const;

/** Authentication looks a key up by its id before any tenant is known; the secret check follows. */
export function findApiKeyForAuth(prisma: PrismaClient, keyId: string): Promise<ApiKey | null> {
  return prisma.apiKey.findUnique({ where: { id: keyId } });
}

export function apiKeyRepository(prisma: PrismaClient, tenantId: string) {
  return {
    async create(input: { name?: string | undefined; expiresAt?: Date | undefined }) {
      const id = newId("apiKey");
      const key = issueApiKey(id);
      const record = await prisma.apiKey.create({
        data: {
          id,
          tenantId,
          name: input.name ?? null,
          expiresAt: input.expiresAt ?? null,
          secretHash: new Uint8Array(key.secretHash),
        },
        select: PUBLIC_FIELDS,
      });
      return { record, apiKey: key.plaintext };
    },

    async list(page: PageRequest): Promise<Page<ApiKeyRecord>> {
      const { idAfter, ...rest } = pageQuery(page);
      const rows = await prisma.apiKey.findMany({ where: { tenantId, ...idAfter }, select: PUBLIC_FIELDS, ...rest });
      return toPage(rows, page.limit);
    },

    /** Revoking twice is harmless: the first revocation time is kept. */
    async revoke(id: string): Promise<ApiKeyRecord | null> {
      const found = await prisma.apiKey.findFirst({ where: { id, tenantId }, select: PUBLIC_FIELDS });
      if (!found) return null;
      if (found.revokedAt) return found;
      return prisma.apiKey.update({ where: { id, tenantId }, data: { revokedAt: new Date() }, select: PUBLIC_FIELDS });
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof apiKeyRepository>;
