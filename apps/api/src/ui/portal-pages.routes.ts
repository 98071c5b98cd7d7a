import express, { Router } from "express";
import { isId } from "@hookline/core";
import { portalLookOf, type Database } from "@hookline/db";
import { pageHeaders } from "./page-headers.js";
import { pageShell } from "./shell.js";

const originOf = (url: string | null): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * The customer portal's page, `/portal/<tenant id>`: the same shell for every path below it. The
 * tenant in the path decides the page's headers before any token is read: which sites may frame it
 * (the tenant's `frame_ancestors`; nobody by default) and where its logo may load from.
 */
export function portalPages(db: Database, assetsDir: string): Router {
  const router = Router();
  const shell = pageShell({ app: "portal", assetsPath: "/portal/assets/", title: "Webhooks" });
  router.use(
    "/portal/assets",
    pageHeaders(),
    express.static(assetsDir, { fallthrough: false, index: false, setHeaders: (res) => res.setHeader("Cache-Control", "no-cache") }),
  );
  router.get(["/portal/:tenantId", "/portal/:tenantId/{*rest}"], async (req, res, next) => {
    const tenantId = String(req.params.tenantId);
    const look = isId("tenant", tenantId) ? await portalLookOf(db, tenantId) : null;
    // An unknown tenant still gets the page (with a 404 and the strictest headers): the page then
    // says the link is not valid, as it does for a forged or expired token.
    const logo = originOf(look?.portalLogoUrl ?? null);
    pageHeaders({ frameAncestors: look?.portalFrameAncestors ?? [], imageOrigins: logo ? [logo] : [] })(req, res, (error?: unknown) => {
      if (error) return next(error);
      res.setHeader("Cache-Control", "no-store");
      res
        .status(look ? 200 : 404)
        .type("html")
        .send(shell);
    });
  });
  return router;
}
