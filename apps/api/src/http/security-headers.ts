import type { Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/**
 * Headers for every response, error pages included. Helmet's defaults suit a web page; this API
 * serves only JSON, so its content policy allows nothing to load or frame it, and responses
 * (which can hold secrets) are never stored by caches.
 *
 * With this configuration (no nonces, nothing computed per request) helmet's answer is the same
 * for every request, so it is asked once and its headers are replayed: helmet runs a dozen
 * middlewares and builds its content policy on each call, a few percent of the API's CPU per
 * request for a constant result.
 */
export function securityHeaders(): RequestHandler {
  const { set, removed } = headersOf(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: "deny" },
      referrerPolicy: { policy: "no-referrer" },
    }),
  );
  set.push(["Cache-Control", "no-store"]);
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** What a middleware that only sets and removes headers does to a response, recorded once. */
function headersOf(middleware: RequestHandler): { set: [string, string | string[]][]; removed: string[] } {
  const set: [string, string | string[]][] = [];
  const removed: string[] = [];
  let passed = false;
  const recorder = {
    setHeader(name: string, value: string | string[]) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  void middleware({} as Request, recorder as unknown as Response, () => {
    passed = true;
  });
  if (!passed) throw new Error("securityHeaders: helmet did not answer synchronously; its headers cannot be recorded once");
  return { set, removed };
}
