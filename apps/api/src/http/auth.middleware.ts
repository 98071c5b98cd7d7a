import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import { AppError, parseApiKey, secretMatches } from "@hookline/core";
import { findApiKeyForAuth, tenantScope, type Database, type TenantScope } from "@hookline/db";

export interface TenantAuth {
  readonly tenantId: string;
  readonly keyId: string;
  readonly scope: TenantScope;
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
    const token = bearerToken(req.headers.authorization);
    const parsed = token === undefined ? undefined : parseApiKey(token);
    if (!parsed) throw AppError.unauthorized("The API key is malformed.");
    const key = await findApiKeyForAuth(db, parsed.keyId);
    if (!key || !secretMatches(parsed.secret, key.secretHash)) throw AppError.unauthorized("The API key is not valid.");
    if (key.revokedAt) throw AppError.unauthorized("The API key has been revoked.");
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw AppError.unauthorized("The API key has expired.");
    res.locals.auth = { tenantId: key.tenantId, keyId: key.id, scope: tenantScope(db, key.tenantId) };
    req.log = req.log.child({ tenant_id: key.tenantId });
    res.locals.logBindings = { tenant_id: key.tenantId };
    next();
  };
}

/** The authenticated tenant of this request; only reachable behind requireTenant. */
export function tenantOf(res: Response): TenantAuth {
  const auth = res.locals.auth;
  if (!auth) throw new Error("tenantOf called on a route without requireTenant");
  return auth;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

export function requireAdmin(adminToken: string | undefined): RequestHandler {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return (req, _res, next) => {
    if (!expected) throw AppError.unauthorized("The admin API is disabled: set ADMIN_TOKEN to enable it.");
    const token = bearerToken(req.headers.authorization);
    if (token === undefined || !timingSafeEqual(digest(token), expected)) {
      throw AppError.unauthorized("The admin token is not valid.");
    }
    next();
  };
}
