import { Router } from "express";

export type DependencyState = "ok" | "unavailable";
/** One dependency's answer to the readiness probe, with why it did not answer. */
export interface DependencyCheck {
  readonly state: DependencyState;
  readonly reason?: string | undefined;
}
export type Readiness = () => Promise<Record<string, DependencyCheck>>;

/**
 * /healthz: the process is up and serving HTTP (liveness).
 * /readyz: Postgres and Redis answer too (readiness); 503 names what does not, and why.
 */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const results = Object.entries(await readiness());
    const ready = results.every(([, check]) => check.state === "ok");
    const checks = Object.fromEntries(results.map(([name, check]) => [name, check.state]));
    const reasons = Object.fromEntries(results.flatMap(([name, check]) => (check.reason ? [[name, check.reason]] : [])));
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? "ready" : "unavailable", checks, ...(Object.keys(reasons).length > 0 && { reasons }) });
  });
  return router;
}
