import { Router } from "express";
import {
  createPortalTokenSchema,
  iso,
  presentPortalToken,
  type CreatePortalTokenBody,
  type PortalSessionResponse,
} from "@hookline/api-contract";
import { AppError, PORTAL_CAPABILITIES, PORTAL_TOKEN_DEFAULT_SECONDS } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";
import { publicBaseUrl } from "../inbound/inbound-endpoints.routes.js";

const parseCreate = validator<CreatePortalTokenBody>(createPortalTokenSchema, "body");
const notFound = () => AppError.notFound("The customer");

/**
 * `/v1/customers/{id}/portal`: the tenant (with an API key or its dashboard) issues a link for one
 * customer and can end every link of that customer. The token travels in the URL's fragment, which
 * browsers never send to a server, so it stays out of access logs and Referer headers.
 */
export function portalTokenRoutes(deps: { publicUrl: string | undefined }): Router {
  const router = Router();
  guardIdParam(router, "customer", "The customer");

  router.post("/:id/portal", async (req, res) => {
    const auth = tenantOf(res);
    if (auth.portal) throw new AppError({ status: 403, code: "forbidden", message: "A portal token cannot issue portal links." });
    const body = parseCreate(bodyOf(req));
    const issued = await auth.scope.portalTokens.issue(req.params.id, {
      capabilities: body.capabilities ?? [...PORTAL_CAPABILITIES],
      ttlSeconds: body.expires_in ?? PORTAL_TOKEN_DEFAULT_SECONDS,
    });
    if (!issued) throw notFound();
    const url = `${publicBaseUrl(req, deps.publicUrl)}/portal/${auth.tenantId}#token=${issued.token}`;
    req.log.info({ customer_id: req.params.id, portal_token_id: issued.id }, "portal link issued");
    res.status(201).json(presentPortalToken(issued, url));
  });

  router.post("/:id/portal/revoke", async (req, res) => {
    const revoked = await tenantOf(res).scope.portalTokens.revokeAll(req.params.id);
    if (revoked === null) throw notFound();
    res.json({ revoked });
  });

  return router;
}

/** `GET /v1/portal`: what the portal's page asks first, with its token. */
export function portalSessionRoutes(): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const auth = tenantOf(res);
    if (!auth.portal) throw new AppError({ status: 403, code: "forbidden", message: "GET /v1/portal answers a portal token only." });
    const [customer, look] = await Promise.all([auth.scope.customers.find(auth.portal.customerId), auth.scope.settings.get()]);
    if (!customer) throw AppError.unauthorized("The portal link is no longer valid.");
    const answer: PortalSessionResponse = {
      customer: { id: customer.id, name: customer.name },
      capabilities: [...auth.portal.capabilities],
      expires_at: iso(auth.portal.expiresAt),
      branding: { name: look.portalName, logo_url: look.portalLogoUrl, accent_color: look.portalAccentColor },
    };
    res.json(answer);
  });
  return router;
}
