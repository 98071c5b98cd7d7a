import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { AppError, parseApiKey, parsePortalToken, secretMatches, type PortalCapability } from "@hookline/core";
import {
  dashboardSessions,
  findApiKeyForAuth,
  findPortalTokenForAuth,
  tenantScope,
  type DashboardSession,
  type Database,
  type TenantScope,
} from "@hookline/db";
import { checkCsrf, checkSameOrigin, sessionToken } from "./session-cookie.js";
import { bindRequestLog } from "./request-context.js";

/** A customer in the portal: what its token lets it reach (see portal-gate.ts). */
export interface PortalAuth {
  readonly tokenId: string;
  readonly customerId: string;
  readonly capabilities: readonly PortalCapability[];
  readonly expiresAt: Date;
}

export interface TenantAuth {
  readonly tenantId: string;
  /** The API key of the request, the one its dashboard session was opened with, or the portal token. */
  readonly keyId: string;
  readonly via: "api_key" | "session" | "portal";
  readonly scope: TenantScope;
  /** Set only for a portal token: the request acts for one customer of the tenant. */
  readonly portal?: PortalAuth;
}

declare module "express-serve-static-core" {
  interface Locals {
    auth?: TenantAuth;
    /** Ids that the request's closing log line carries (see request-context.ts). */
    logBindings?: Record<string, string>;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) throw AppError.unauthorized("Authentication required: send Authorization: Bearer <API key>.");
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) throw AppError.unauthorized("The Authorization header must be: Bearer <API key>.");
  return match[1];
}

/**
 * Every tenant route goes through here: the key's id finds the row, the secret is compared in
 * constant time, revoked and expired keys are refused. The same message for unknown and wrong
 * keys tells an attacker nothing.
 */
export function requireTenant(db: Database): RequestHandler {
  return async (req, res, next) => {
    if (req.headers.authorization === undefined && sessionToken(req) !== undefined) {
      const session = await liveSession(db, req);
      if (session.kind !== "tenant")
        throw AppError.unauthorized("The admin's dashboard session cannot act as a tenant; sign in with an API key.");
      checkCsrf(req, session);
      authenticate(req, res, {
        tenantId: session.tenantId,
        keyId: session.apiKeyId,
        via: "session",
        scope: tenantScope(db, session.tenantId),
      });
      next();
      return;
    }
    const token = bearerToken(req.headers.authorization);
    if (token?.startsWith("ptk_")) {
      authenticate(req, res, await portalAuth(db, token));
      next();
      return;
    }
    const parsed = token === undefined ? undefined : parseApiKey(token);
    if (!parsed) throw AppError.unauthorized("The API key is malformed.");
    const key = await findApiKeyForAuth(db, parsed.keyId);
    if (!key || !secretMatches(parsed.secret, key.secretHash)) throw AppError.unauthorized("The API key is not valid.");
    if (key.revokedAt) throw AppError.unauthorized("The API key has been revoked.");
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw AppError.unauthorized("The API key has expired.");
    authenticate(req, res, { tenantId: key.tenantId, keyId: key.id, via: "api_key", scope: tenantScope(db, key.tenantId) });
    next();
  };
}

/** A portal token: checked like an API key, and refused once expired or revoked. */
async function portalAuth(db: Database, token: string): Promise<TenantAuth> {
  const parsed = parsePortalToken(token);
  const found = parsed === undefined ? null : await findPortalTokenForAuth(db, parsed.keyId);
  if (!parsed || !found || !secretMatches(parsed.secret, found.secretHash)) throw AppError.unauthorized("The portal link is not valid.");
  if (found.revokedAt) throw AppError.unauthorized("The portal link has been revoked.");
  if (found.expiresAt.getTime() <= Date.now()) throw AppError.unauthorized("The portal link has expired.");
  return {
    tenantId: found.tenantId,
    keyId: found.id,
    via: "portal",
    scope: tenantScope(db, found.tenantId),
    portal: { tokenId: found.id, customerId: found.customerId, capabilities: found.capabilities, expiresAt: found.expiresAt },
  };
}

function authenticate(req: Request, res: Response, auth: TenantAuth): void {
  res.locals.auth = auth;
  const ids: Record<string, string> = auth.portal
    ? { tenant_id: auth.tenantId, customer_id: auth.portal.customerId }
    : { tenant_id: auth.tenantId };
  bindRequestLog(req, res, ids);
}

/** The session the request's cookie names; an unknown or ended one is a 401 the page turns into its sign-in. */
export async function liveSession(db: Database, req: Request): Promise<DashboardSession> {
  const token = sessionToken(req);
  const session = token === undefined ? null : await dashboardSessions.find(db, token);
  if (!session) throw AppError.unauthorized("The dashboard session has ended; sign in again.");
  return session;
}

/** The authenticated tenant of this request; only reachable behind requireTenant. */
export function tenantOf(res: Response): TenantAuth {
  const auth = res.locals.auth;
  if (!auth) throw new Error("tenantOf called on a route without requireTenant");
  return auth;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether a string is the admin token, compared in constant time. */
export function isAdminToken(adminToken: string | undefined, candidate: string): boolean {
  return adminToken !== undefined && timingSafeEqual(digest(candidate), digest(adminToken));
}

/**
 * The admin token as a bearer credential, or an admin's dashboard session. `sameOriginOnly`: the
 * session's requests are checked by Sec-Fetch-Site instead of the CSRF header, for pages whose
 * scripts are not ours (Bull Board).
 */
export function requireAdmin(adminToken: string | undefined, db: Database, options: { sameOriginOnly?: boolean } = {}): RequestHandler {
  return async (req, _res, next) => {
    if (adminToken === undefined) throw AppError.unauthorized("The admin API is disabled: set ADMIN_TOKEN to enable it.");
    if (req.headers.authorization === undefined && sessionToken(req) !== undefined) {
      const session = await liveSession(db, req);
      if (session.kind !== "admin")
        throw new AppError({ status: 403, code: "forbidden", message: "This needs the admin; sign in with the admin token." });
      if (options.sameOriginOnly) checkSameOrigin(req);
      else checkCsrf(req, session);
      next();
      return;
    }
    const token = bearerToken(req.headers.authorization);
    if (token === undefined || !isAdminToken(adminToken, token)) throw AppError.unauthorized("The admin token is not valid.");
    next();
  };
}
