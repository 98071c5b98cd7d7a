import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * Headers for every response, error pages included. Helmet's defaults suit a web page; this API
 * serves only JSON, so its content policy allows nothing to load or frame it, and responses
 * (which can hold secrets) are never stored by caches.
 */
export function securityHeaders(): RequestHandler[] {
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  };
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: "deny" },
      referrerPolicy: { policy: "no-referrer" },
    }),
    noStore,
  ];
}
