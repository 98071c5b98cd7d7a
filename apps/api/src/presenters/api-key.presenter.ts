import type { ApiKeyRecord } from "@hookline/db";
import { iso } from "./timestamps.js";

export function presentApiKey(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    created_at: iso(key.createdAt),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
  };
}
