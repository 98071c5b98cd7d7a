import { Router } from "express";

export type DependencyState = "ok" | "unavailable";
export type Readiness = () => Promise<Record<string, DependencyState>>;

/**
 * /healthz: the process is up and serving HTTP (liveness).
 * /readyz: Postgres and Redis answer too (readiness); 503 names what does not.
 */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks = await readiness();
    const ready = Object.values(checks).every((state) => state === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable", checks });
  });
  return router;
}
