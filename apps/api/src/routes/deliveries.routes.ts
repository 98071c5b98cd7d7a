import { Router } from "express";
import { presentDelivery, presentDeliveryWithAttempts } from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import type { Scheduler } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { guardIdParam } from "../http/id-param.js";

export function deliveryRoutes(deps: { scheduler: Scheduler }): Router {
  const router = Router();
  guardIdParam(router, "delivery", "The delivery");

  router.get("/:id", async (req, res) => {
    const delivery = await tenantOf(res).scope.deliveries.find(req.params.id);
    if (!delivery) throw AppError.notFound("The delivery");
    res.json(presentDeliveryWithAttempts(delivery));
  });

  /** Attempts a failed delivery once more, now. */
  router.post("/:id/retry", async (req, res) => {
    const result = await tenantOf(res).scope.deliveries.retry(req.params.id);
    if (result === "not_found") throw AppError.notFound("The delivery");
    if (result === "not_failed") throw AppError.conflict("Only a failed delivery can be retried.");
    await deps.scheduler.dueAgain(result.id, req.log);
    res.status(202).json(presentDelivery(result));
  });

  return router;
}
