import { issueApiKey, newId } from "@hookline/core";
import type { Database, PrismaClient } from "../client.js";
import type { ApiKey } from "../generated/prisma/client.js";
import { pageQuery, toPage, type Page, type PageRequest } from "../pagination.js";
import { prepared } from "../prepared.js";
import { batcher, perPool } from "../batcher.js";

export type ApiKeyRecord = Omit<ApiKey, "secretHash">;
const PUBLIC_FIELDS = { id: true, tenantId: true, name: true, createdAt: true, expiresAt: true, revokedAt: true } as const;

/** What authentication needs of a key. */
export type KeyForAuth = Pick<ApiKey, "id" | "tenantId" | "secretHash" | "expiresAt" | "revokedAt">;

type AuthRow = { id: string; tenant_id: string; secret_hash: Buffer; expires_at: Date | null; revoked_at: Date | null };

/**
 * Every API request looks its key up, so lookups that arrive together share one statement. Each
 * batch's statement is sent after all its callers arrived (calls made while a batch is in flight
 * wait for the next), so a caller never sees a key as it was before the caller came: a revoked
 * key is refused from the next request on, as with a statement of its own.
 */
const authLookups = perPool((pool) =>
  batcher<string, KeyForAuth | null>(
    async (keyIds) => {
      const { rows } = await prepared<AuthRow>(
        pool,
        "auth-keys",
        `SELECT id, tenant_id, secret_hash, expires_at, revoked_at FROM api_keys WHERE id = ANY($1::text[])`,
        [[...new Set(keyIds)]],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      return keyIds.map((keyId) => {
        const row = byId.get(keyId);
        return row
          ? {
              id: row.id,
              tenantId: row.tenant_id,
              secretHash: new Uint8Array(row.secret_hash),
              expiresAt: row.expires_at,
              revokedAt: row.revoked_at,
            }
          : null;
      });
    },
    { maxBatch: 200, maxConcurrent: 3 },
  ),
);

/** Authentication looks a key up by its id before any tenant is known; the secret check follows. */
export function findApiKeyForAuth(db: Pick<Database, "pool">, keyId: string): Promise<KeyForAuth | null> {
  return authLookups(db.pool)(keyId);
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
