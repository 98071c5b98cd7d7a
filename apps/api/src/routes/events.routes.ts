import { Router } from "express";
import { AppError, eventTypeProblem, type FieldProblem, type Logger } from "@hookline/core";
import type { PublishResult } from "@hookline/db";
import type { EngineDependencies } from "@hookline/engine";
import type { DeliveryQueue } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";
import { presentEvent } from "../presenters/event.presenter.js";
import { iso } from "../presenters/timestamps.js";
import { publishBatchSchema, publishEventSchema, type PublishBatchBody, type PublishEventBody } from "../schemas/event.schemas.js";
import { enqueuePublished } from "../services/enqueue.js";
import { publishGroups } from "../services/publish-groups.js";
import { deliverSynchronously } from "../services/synchronous-delivery.js";
import { checkPublish, publishLookups, type PublishLookups } from "../services/event-type-rules.js";

const parsePublish = validator<PublishEventBody>(publishEventSchema, "body");
const parseBatch = validator<PublishBatchBody>(publishBatchSchema, "body");

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
  queue: DeliveryQueue;
  logger: Logger;
  engine: EngineDependencies;
  idempotencyWindowMs: number;
  enqueueFailureRate: number;
};

/** Re-labels problems of one batch item under `events.<i>.`, so a client can find the event. */
function within(prefix: string, error: unknown): never {
  if (error instanceof AppError && prefix !== "") {
    const details: FieldProblem[] = error.details.map((d) => ({ ...d, field: `${prefix}${d.field}` }));
    throw new AppError({ status: error.status, code: error.code, message: error.message, details });
  }
  throw error;
}

/** The checks of one event before anything is written; returns whether its type is deprecated. */
async function admit(lookups: PublishLookups, body: PublishEventBody, prefix = ""): Promise<boolean> {
  try {
    const problem = eventTypeProblem(body.event_type, false);
    if (problem) throw AppError.validation([{ field: "event_type", message: problem }]);
    return (await checkPublish(lookups, body.event_type, body.data)).deprecated;
  } catch (error) {
    return within(prefix, error);
  }
}

const toNewEvent = (body: PublishEventBody, idempotencyKey: string | undefined) => ({
  eventType: body.event_type,
  data: body.data,
  objectId: body.object_id,
  idempotencyKey,
  origin: body.origin,
});

/**
 * After commit and enqueue: make the first attempt of the synchronous deliveries and present
 * each result as `POST /v1/events` answers it.
 */
async function present(deps: EventDeps, results: readonly PublishResult[]) {
  return Promise.all(
    results.map(async (result) => {
      const base = { id: result.event.id, event_type: result.event.eventType, created_at: iso(result.event.createdAt) };
      if (result.outcome === "duplicate") return { ...base, deliveries: result.deliveryCount, replayed: true };
      const synchronous = result.deliveries.filter((d) => d.status === "pending" && d.synchronous);
      return {
        ...base,
        deliveries: result.deliveries.length,
        replayed: false,
        ...(synchronous.length > 0 && { synchronous: await deliverSynchronously(deps.engine, synchronous) }),
      };
    }),
  );
}

export function eventRoutes(deps: EventDeps): Router {
  const router = Router();
  guardIdParam(router, "event", "The event");
  const publish = publishGroups(deps);

  router.post("/", async (req, res) => {
    const body = parsePublish(bodyOf(req));
    const key = idempotencyKey(body, req.header("idempotency-key"));
    if (await admit(publishLookups(tenantOf(res).scope, [body.event_type]), body)) res.setHeader("Deprecation", "true");
    const result = await publish(tenantOf(res).scope, toNewEvent(body, key));
    const [presented] = await present(deps, [result]);
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
    const lookups = publishLookups(
      tenantOf(res).scope,
      events.map((event) => event.event_type),
    );
    const deprecated = await Promise.all(events.map((event, i) => admit(lookups, event, `events.${i}.`)));
    if (deprecated.some(Boolean)) res.setHeader("Deprecation", "true");
    const results = await tenantOf(res).scope.events.publishBatch(
      events.map((event) => toNewEvent(event, event.idempotency_key)),
      { idempotencyWindowMs: deps.idempotencyWindowMs },
    );
    await enqueuePublished(deps.queue, req.log ?? deps.logger, results, { enqueueFailureRate: deps.enqueueFailureRate });
    res.status(202).json(await present(deps, results));
  });

  router.get("/:id", async (req, res) => {
    const event = await tenantOf(res).scope.events.find(req.params.id);
    if (!event) throw AppError.notFound("The event");
    res.json(presentEvent(event));
  });

  return router;
}
