import { Router } from "express";
import { AppError, type Logger } from "@hookline/core";
import type { DeliveryQueue } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { presentAttempt, presentDelivery } from "../presenters/delivery.presenter.js";

export function deliveryRoutes(deps: { queue: DeliveryQueue; logger: Logger }): Router {
  const router = Router();
  guardIdParam(router, "delivery", "The delivery");

  router.get("/:id", async (req, res) => {
    const delivery = await tenantOf(res).scope.deliveries.find(req.params.id);
    if (!delivery) throw AppError.notFound("The delivery");
    res.json({ ...presentDelivery(delivery), attempts: delivery.attempts.map(presentAttempt) });
  });

  /** Attempts a failed delivery once more, now. */
  router.post("/:id/retry", async (req, res) => {
    const result = await tenantOf(res).scope.deliveries.retry(req.params.id);
    if (result === "not_found") throw AppError.notFound("The delivery");
    if (result === "not_failed") throw AppError.conflict("Only a failed delivery can be retried.");
    try {
      await deps.queue.requeue(result.id);
    } catch (error) {
      (req.log ?? deps.logger).error(
        { err: (error as Error).message, delivery_id: result.id },
        "requeue failed; the sweeper will pick it up",
      );
    }
    res.status(202).json(presentDelivery(result));
  });

  return router;
}
