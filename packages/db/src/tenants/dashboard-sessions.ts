import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../client.js";
import { prepared } from "../prepared.js";

/** A signed-in dashboard: a tenant's (opened with one of its API keys) or the admin's. */
export type DashboardSession =
  | { readonly kind: "tenant"; readonly tenantId: string; readonly apiKeyId: string; readonly csrfToken: string; readonly expiresAt: Date }
  | { readonly kind: "admin"; readonly csrfToken: string; readonly expiresAt: Date };

export interface OpenedSession {
  /** What the cookie carries; shown once, only its hash is stored. */
  readonly token: string;
  readonly session: DashboardSession;
}

const TOKEN_PREFIX = "hls_";
const hashToken = (token: string) => createHash("sha256").update(token).digest();
const randomToken = () => randomBytes(32).toString("base64url");

type SessionRow = {
  tenant_id: string | null;
  api_key_id: string | null;
  csrf_token: string;
  expires_at: Date;
};

type Db = Pick<Database, "pool">;

/**
 * Sessions live in Postgres (not in the API's memory) so that any API process serves any signed-in
 * browser, and signing out or revoking the key ends the session everywhere at once.
 */
export const dashboardSessions = {
  async open(db: Db, owner: { tenantId: string; apiKeyId: string } | "admin", ttlSeconds: number): Promise<OpenedSession> {
    const token = `${TOKEN_PREFIX}${randomToken()}`;
    const csrfToken = randomToken();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const tenantId = owner === "admin" ? null : owner.tenantId;
    const apiKeyId = owner === "admin" ? null : owner.apiKeyId;
    await db.pool.query(
      `INSERT INTO dashboard_sessions (token_hash, tenant_id, api_key_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [hashToken(token), tenantId, apiKeyId, csrfToken, expiresAt],
    );
    // Sign-ins are rare next to requests: this is where expired rows of everyone are cleared.
    await db.pool.query(`DELETE FROM dashboard_sessions WHERE expires_at < now() - interval '1 day'`);
    const session: DashboardSession =
      owner === "admin"
        ? { kind: "admin", csrfToken, expiresAt }
        : { kind: "tenant", tenantId: owner.tenantId, apiKeyId: owner.apiKeyId, csrfToken, expiresAt };
    return { token, session };
  },

  /**
   * The live session a cookie names, or null: unknown, expired, or opened with a key that has since
   * been revoked or has expired.
   */
  async find(db: Db, token: string): Promise<DashboardSession | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const { rows } = await prepared<SessionRow>(
      db.pool,
      "dashboard-session",
      `SELECT s.tenant_id, s.api_key_id, s.csrf_token, s.expires_at
         FROM dashboard_sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id
        WHERE s.token_hash = $1 AND s.expires_at > now()
          AND (s.api_key_id IS NULL OR (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())))`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.tenant_id === null || row.api_key_id === null) return { kind: "admin", csrfToken: row.csrf_token, expiresAt: row.expires_at };
    return { kind: "tenant", tenantId: row.tenant_id, apiKeyId: row.api_key_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  },

  async close(db: Db, token: string): Promise<void> {
    await db.pool.query(`DELETE FROM dashboard_sessions WHERE token_hash = $1`, [hashToken(token)]);
  },
};
