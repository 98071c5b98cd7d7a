import express, { Router } from "express";
import { pageShell } from "./shell.js";
import { pageHeaders } from "./page-headers.js";

/**
 * The dashboard: one HTML shell for every path under /dashboard (the app routes in the browser,
 * so a shared link opens the same page), and its built assets. Assets are revalidated on each
 * load (no-cache) since their names carry no hash of their own.
 */
export function dashboardPages(assetsDir: string): Router {
  const router = Router();
  const shell = pageShell({ app: "dashboard", assetsPath: "/dashboard/assets/", title: "Hookline" });
  router.use(
    "/dashboard/assets",
    pageHeaders(),
    express.static(assetsDir, {
      fallthrough: false,
      index: false,
      setHeaders: (res) => res.setHeader("Cache-Control", "no-cache"),
    }),
  );
  router.get(["/dashboard", "/dashboard/{*rest}"], pageHeaders(), (req, res, next) => {
    // The session API answers JSON; every other path is a page of the app.
    if (req.path.startsWith("/dashboard/api/")) return next();
    res.setHeader("Cache-Control", "no-store");
    res.type("html").send(shell);
  });
  return router;
}
