import { Router } from "express";
import { AppError, parseApiKey, secretMatches } from "@hookline/core";
import { dashboardSessions, findApiKeyForAuth, type DashboardSession, type Database } from "@hookline/db";
import { dashboardSignInSchema, iso, type DashboardSignInBody } from "@hookline/api-contract";
import { isAdminToken, liveSession } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { checkCsrf, clearSessionCookie, sessionToken, setSessionCookie } from "../http/session-cookie.js";
import { validator } from "../http/validation.js";

const parseSignIn = validator<DashboardSignInBody>(dashboardSignInSchema, "body");

interface SessionDeps {
  readonly db: Database;
  readonly adminToken: string | undefined;
  readonly ttlSeconds: number;
  readonly publicUrl: string | undefined;
}

const present = (session: DashboardSession) => ({
  kind: session.kind,
  tenant_id: session.kind === "tenant" ? session.tenantId : null,
  csrf_token: session.csrfToken,
  expires_at: iso(session.expiresAt),
});

/**
 * Signing in to the dashboard: an API key (or the admin token) is checked once and exchanged for a
 * session cookie, so the key is never kept by the browser. Sign-in takes JSON only, which a
 * cross-site form cannot send, so no other site can sign a browser in to its own account.
 */
export function sessionRoutes(deps: SessionDeps): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    if (!req.is("application/json")) {
      throw new AppError({ status: 415, code: "unsupported_media_type", message: "Sign in with a JSON body." });
    }
    const body = parseSignIn(bodyOf(req));
    let owner: { tenantId: string; apiKeyId: string } | "admin";
    if ("admin_token" in body) {
      if (!isAdminToken(deps.adminToken, body.admin_token)) throw AppError.unauthorized("The admin token is not valid.");
      owner = "admin";
    } else {
      const parsed = parseApiKey(body.api_key);
      const key = parsed === undefined ? null : await findApiKeyForAuth(deps.db, parsed.keyId);
      const live =
        key && parsed && secretMatches(parsed.secret, key.secretHash) && !key.revokedAt && !(key.expiresAt && key.expiresAt <= new Date());
      if (!key || !live) throw AppError.unauthorized("The API key is not valid.");
      owner = { tenantId: key.tenantId, apiKeyId: key.id };
    }
    const opened = await dashboardSessions.open(deps.db, owner, deps.ttlSeconds);
    setSessionCookie(req, res, opened.token, opened.session.expiresAt, deps.publicUrl);
    req.log.info({ kind: opened.session.kind, tenant_id: owner === "admin" ? undefined : owner.tenantId }, "dashboard sign-in");
    res.status(201).json(present(opened.session));
  });

  router.get("/", async (req, res) => {
    res.json(present(await liveSession(deps.db, req)));
  });

  router.delete("/", async (req, res) => {
    const token = sessionToken(req);
    if (token !== undefined) {
      const session = await dashboardSessions.find(deps.db, token);
      if (session) checkCsrf(req, session);
      await dashboardSessions.close(deps.db, token);
    }
    clearSessionCookie(res);
    res.status(204).end();
  });

  return router;
}
