import { Router } from "express";
import { deliveryListQuerySchema, presentDelivery, presentDeliveryWithAttempts, type DeliveryListQuery } from "@hookline/api-contract";
import { AppError, isId, type IdKind } from "@hookline/core";
import type { Scheduler } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { createdWindow } from "../http/time-window.js";
import { validator } from "../http/validation.js";

const parseListQuery = validator<DeliveryListQuery>(deliveryListQuerySchema, "query");

/** A filter naming something that cannot be an id of its kind is a mistake (400); an id of another tenant's simply matches nothing. */
function idFilter(field: string, kind: IdKind, value: string | undefined): string | undefined {
  if (value !== undefined && !isId(kind, value)) throw AppError.validation([{ field, message: `is not an ${kind} id` }]);
  return value;
}

export function deliveryRoutes(deps: { scheduler: Scheduler }): Router {
  const router = Router();
  guardIdParam(router, "delivery", "The delivery");

  /** Across the tenant's endpoints, newest first (with `endpoint_id`, GET /v1/endpoints/{id}/deliveries' rows, which that lists oldest first). */
  router.get("/", async (req, res) => {
    const query = parseListQuery(req.query);
    const page = await tenantOf(res).scope.deliveries.list(pageRequest(req), {
      status: query.status,
      endpointId: idFilter("endpoint_id", "endpoint", query.endpoint_id),
      eventId: idFilter("event_id", "event", query.event_id),
      ...createdWindow(query),
    });
    sendPage(req, res, page, presentDelivery);
  });

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
