import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * The content policy of the dashboard's and the portal's pages: scripts, styles and fonts from
 * this origin only, no inline script or style (the shell has none), API calls to this origin only,
 * and framing by nobody (the portal widens `frame-ancestors` per tenant). Images may also come
 * from the origins given (a tenant's logo).
 */
export function pageHeaders(options: { frameAncestors?: readonly string[]; imageOrigins?: readonly string[] } = {}): RequestHandler {
  const frameAncestors = options.frameAncestors?.length ? [...options.frameAncestors] : ["'none'"];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", ...(options.imageOrigins ?? [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors,
      },
    },
    // frame-ancestors decides framing; X-Frame-Options cannot name origins, so it is left out
    // where framing is allowed at all.
    frameguard: options.frameAncestors?.length ? false : { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });
}
