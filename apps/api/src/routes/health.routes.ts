import { Router } from "express";

/** Liveness: the process is up and serving HTTP. Readiness (dependencies reachable) comes with /readyz. */
export function healthRoutes(): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  return router;
}
