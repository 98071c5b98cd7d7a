import { Router } from "express";
import { AppError, eventTypeProblem, type Logger } from "@hookline/core";
import type { EngineDependencies } from "@hookline/engine";
import type { DeliveryQueue } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";
import { presentEvent } from "../presenters/event.presenter.js";
import { iso } from "../presenters/timestamps.js";
import { publishEventSchema, type PublishEventBody } from "../schemas/event.schemas.js";
import { enqueueCommitted } from "../services/enqueue.js";
import { deliverSynchronously } from "../services/synchronous-delivery.js";
import { checkPublish } from "../services/event-type-rules.js";

const parsePublish = validator<PublishEventBody>(publishEventSchema, "body");

/** The key may come in the body or, as many APIs take it, in an Idempotency-Key header. */
function idempotencyKey(body: PublishEventBody, header: string | undefined): string | undefined {
  if (header !== undefined && (header.length === 0 || header.length > 255)) {
    throw AppError.validation([{ field: "Idempotency-Key", message: "must be 1 to 255 characters" }]);
  }
  if (header !== undefined && body.idempotency_key !== undefined && header !== body.idempotency_key) {
    throw AppError.validation([{ field: "idempotency_key", message: "differs from the Idempotency-Key header" }]);
  }
  return body.idempotency_key ?? header;
}

export function eventRoutes(deps: {
  queue: DeliveryQueue;
  logger: Logger;
  engine: EngineDependencies;
  idempotencyWindowMs: number;
  enqueueFailureRate: number;
}): Router {
  const router = Router();
  guardIdParam(router, "event", "The event");

  router.post("/", async (req, res) => {
    const body = parsePublish(bodyOf(req));
    const problem = eventTypeProblem(body.event_type, false);
    if (problem) throw AppError.validation([{ field: "event_type", message: problem }]);
    const key = idempotencyKey(body, req.header("idempotency-key"));
    const { deprecated } = await checkPublish(tenantOf(res).scope, body.event_type, body.data);
    if (deprecated) res.setHeader("Deprecation", "true");

    const result = await tenantOf(res).scope.events.publish({
      eventType: body.event_type,
      data: body.data,
      objectId: body.object_id,
      idempotencyKey: key,
      origin: body.origin,
    }, { idempotencyWindowMs: deps.idempotencyWindowMs });
    if (result.outcome === "duplicate") {
      res.setHeader("Idempotent-Replayed", "true");
      res.status(202).json({ id: result.event.id, event_type: result.event.eventType, created_at: iso(result.event.createdAt), deliveries: result.deliveryCount });
      return;
    }
    const pending = result.deliveries.filter((d) => d.status === "pending");
    const due = pending.filter((d) => !d.synchronous).map((d) => d.id);
    await enqueueCommitted(deps.queue, req.log ?? deps.logger, due, { enqueueFailureRate: deps.enqueueFailureRate });
    const synchronous = pending.filter((d) => d.synchronous);
    res.status(202).json({
      id: result.event.id,
      event_type: result.event.eventType,
      created_at: iso(result.event.createdAt),
      deliveries: result.deliveries.length,
      ...(synchronous.length > 0 && { synchronous: await deliverSynchronously(deps.engine, synchronous) }),
    });
  });

  router.get("/:id", async (req, res) => {
    const event = await tenantOf(res).scope.events.find(req.params.id);
    if (!event) throw AppError.notFound("The event");
    res.json(presentEvent(event));
  });

  return router;
}
