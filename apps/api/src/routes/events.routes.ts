import { Router } from "express";
import {
  eventListQuerySchema,
  iso,
  presentEvent,
  presentEventSummary,
  type EventListQuery,
  type PublishBatchBody,
  publishBatchSchema,
  type PublishEventBody,
  publishEventSchema,
} from "@hookline/api-contract";
import { AppError, type Logger } from "@hookline/core";
import type { PublishResult } from "@hookline/db";
import type { DeliveryEngine } from "@hookline/delivery-engine";
import type { EventToPublish, Publisher } from "@hookline/publishing";
import type { Scheduler } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { createdWindow } from "../http/time-window.js";
import { validator } from "../http/validation.js";
import { deliverSynchronously } from "../services/synchronous-delivery.js";

const parsePublish = validator<PublishEventBody>(publishEventSchema, "body");
const parseBatch = validator<PublishBatchBody>(publishBatchSchema, "body");
const parseListQuery = validator<EventListQuery>(eventListQuerySchema, "query");

/** `invoice.*` asks for every type starting `invoice.`; any other value is one type's name. */
function typeFilter(eventType: string | undefined) {
  if (eventType === undefined) return {};
  return eventType.endsWith(".*") ? { eventTypePrefix: eventType.slice(0, -1) } : { eventType };
}

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

type EventDeps = {
  publisher: Publisher;
  engine: DeliveryEngine;
  scheduler: Scheduler;
  logger: Logger;
  /** Tracing is on: a caller's `traceparent` header makes the publish part of the caller's trace. */
  traced?: boolean;
};

const toNewEvent = (body: PublishEventBody, idempotencyKey: string | undefined): EventToPublish => ({
  eventType: body.event_type,
  data: body.data,
  objectId: body.object_id,
  idempotencyKey,
  origin: body.origin,
  customerId: body.customer_id,
  customerExternalId: body.customer_external_id,
});

/**
 * After commit and enqueue: make the first attempt of the synchronous deliveries and present
 * each result as `POST /v1/events` answers it.
 */
async function present(deps: EventDeps, logger: Logger, results: readonly PublishResult[], traceparent?: string) {
  return Promise.all(
    results.map(async (result) => {
      const { event } = result;
      const base = {
        id: event.id,
        event_type: event.eventType,
        ...(event.customerId !== null && { customer_id: event.customerId }),
        created_at: iso(event.createdAt),
      };
      if (result.outcome === "duplicate") return { ...base, deliveries: result.deliveryCount, replayed: true };
      const synchronous = result.deliveries.filter((d) => d.status === "pending" && d.synchronous);
      return {
        ...base,
        deliveries: result.deliveries.length,
        replayed: false,
        ...(synchronous.length > 0 && { synchronous: await deliverSynchronously({ ...deps, logger }, synchronous, traceparent) }),
      };
    }),
  );
}

export function eventRoutes(deps: EventDeps): Router {
  const router = Router();
  guardIdParam(router, "event", "The event");

  router.post("/", async (req, res) => {
    const body = parsePublish(bodyOf(req));
    const key = idempotencyKey(body, req.header("idempotency-key"));
    const { result, deprecated, traceparent } = await deps.publisher.publish(
      tenantOf(res).scope,
      toNewEvent(body, key),
      deps.traced ? { parent: req.header("traceparent") } : undefined,
    );
    if (deprecated) res.setHeader("Deprecation", "true");
    const [presented] = await present(deps, req.log, [result], traceparent);
    const { replayed, ...answer } = presented!;
    if (replayed) res.setHeader("Idempotent-Replayed", "true");
    res.status(202).json(answer);
  });

  /**
   * Up to MAX_BATCH_EVENTS events in one request and one transaction. Every event is checked
   * first; one bad event refuses the whole batch (its problems named `events.<i>.…`) and nothing
   * is written. Answers one result per event, in order, each as `POST /v1/events` would.
   */
  router.post("/batch", async (req, res) => {
    const { events } = parseBatch(bodyOf(req));
    const seen = new Map<string, number>();
    events.forEach((event, i) => {
      if (event.idempotency_key === undefined) return;
      const first = seen.get(event.idempotency_key);
      if (first !== undefined) {
        throw AppError.validation([{ field: `events.${i}.idempotency_key`, message: `repeats the key of events.${first}` }]);
      }
      seen.set(event.idempotency_key, i);
    });
    const { results, deprecated, traceparent } = await deps.publisher.publishBatch(
      tenantOf(res).scope,
      events.map((event) => toNewEvent(event, event.idempotency_key)),
      deps.traced ? { parent: req.header("traceparent") } : undefined,
    );
    if (deprecated) res.setHeader("Deprecation", "true");
    res.status(202).json(await present(deps, req.log, results, traceparent));
  });

  /**
   * Newest first, each with its data but not its deliveries (one GET /v1/events/{id} each): a
   * page of 100 events is as large as their data, which the body limit bounds per event.
   */
  router.get("/", async (req, res) => {
    const query = parseListQuery(req.query);
    const page = await tenantOf(res).scope.events.list(pageRequest(req), {
      ...typeFilter(query.event_type),
      objectId: query.object_id,
      ...createdWindow(query),
    });
    sendPage(req, res, page, presentEventSummary);
  });

  router.get("/:id", async (req, res) => {
    const event = await tenantOf(res).scope.events.find(req.params.id);
    if (!event) throw AppError.notFound("The event");
    res.json(presentEvent(event));
  });

  return router;
}
