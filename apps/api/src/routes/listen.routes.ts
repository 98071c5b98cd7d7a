import { randomBytes } from "node:crypto";
import { Router, type Response } from "express";
import {
  ALL_EVENT_TYPES,
  createListenSchema,
  listenResultSchema,
  presentListenSession,
  type CreateListenBody,
  type ListenResultBody,
} from "@hookline/api-contract";
import { AppError, eventTypeProblem, type FieldProblem } from "@hookline/core";
import type { EndpointWithSubscriptions } from "@hookline/db";
import { listenChannel, listenUrl } from "@hookline/delivery";
import type { ListenHub, ListenRequest, Scheduler } from "@hookline/queue";
import { checkSubscriptionTypes } from "@hookline/publishing";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";
import { generateSecret } from "../services/secrets.js";

const parseCreate = validator<CreateListenBody>(createListenSchema, "body");
const parseResult = validator<ListenResultBody>(listenResultSchema, "body");
const LISTEN = { flavour: "listen" } as const;
const notFound = () => AppError.notFound("The listen session");
/**
 * A session paused this long has lost its CLI for good (a killed CLI started again resumes its
 * session well within it): the tenant's next new session deletes it with its deliveries.
 */
export const LISTEN_ABANDONED_AFTER_MS = 24 * 3600 * 1000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

const present = (endpoint: EndpointWithSubscriptions) =>
  presentListenSession({
    id: endpoint.id,
    secret: endpoint.secret,
    eventTypes: endpoint.subscriptions.flatMap((subscription) => subscription.eventTypes),
    createdAt: endpoint.createdAt,
  });

function checkPatterns(eventTypes: readonly string[]): void {
  const problems: FieldProblem[] = [];
  eventTypes.forEach((name, i) => {
    const problem = eventTypeProblem(name, true);
    if (problem) problems.push({ field: `event_types.${i}`, message: problem });
  });
  if (problems.length > 0) throw AppError.validation(problems, "The request body is invalid.");
}

/** One server-sent event. */
const sendEvent = (res: Response, event: string, data: unknown) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * `/v1/listen`: `hookline listen`'s temporary endpoints. Created paused (deliveries wait, as a paused
 * endpoint's do); while a CLI holds `GET /v1/listen/{id}/stream` open the endpoint is active and its
 * deliveries stream to it; the CLI posts each to its local URL and reports the answer
 * (`POST …/results`), which is the attempt's result. When the stream closes the endpoint is paused
 * again, so nothing is lost while the CLI is away; `DELETE` removes it.
 */
export function listenRoutes(deps: { hub: ListenHub; scheduler: Scheduler }): Router {
  const router = Router();
  guardIdParam(router, "endpoint", "The listen session");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const eventTypes = body.event_types ?? [...ALL_EVENT_TYPES];
    checkPatterns(eventTypes);
    const scope = tenantOf(res).scope;
    await checkSubscriptionTypes(scope, eventTypes);
    for (const id of await scope.endpoints.pausedSince("listen", new Date(Date.now() - LISTEN_ABANDONED_AFTER_MS))) {
      await scope.endpoints.delete(id, LISTEN);
    }
    const endpoint = await scope.endpoints.create({
      flavour: "listen",
      name: `hookline listen ${new Date().toISOString()}`,
      url: listenUrl(randomBytes(24).toString("base64url")),
      secret: generateSecret(),
      headers: {},
      timeoutSeconds: 30,
      status: "PAUSED",
      subscriptions: [eventTypes],
    });
    res.status(201).json(present(endpoint));
  });

  router.get("/:id", async (req, res) => {
    const endpoint = await tenantOf(res).scope.endpoints.find(req.params.id, LISTEN);
    if (!endpoint) throw notFound();
    res.json(present(endpoint));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.endpoints.delete(req.params.id, LISTEN))) throw notFound();
    res.status(204).end();
  });

  router.get("/:id/stream", async (req, res) => {
    const scope = tenantOf(res).scope;
    const endpoint = await scope.endpoints.find(req.params.id, LISTEN);
    const channel = endpoint ? listenChannel(endpoint.url) : undefined;
    if (!endpoint || channel === undefined) throw notFound();
    res
      .status(200)
      .set({ "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.flushHeaders();
    const closed = new Promise<void>((resolve) => res.on("close", () => resolve()));
    const detach = await deps.hub.attach(channel, {
      forward: (request: ListenRequest) => sendEvent(res, "delivery", request),
      hangUp: () => res.end(),
      released: async (owned) => {
        // Paused until a CLI connects again, so nothing is lost while none is here; a CLI that
        // reconnected elsewhere meanwhile owns the endpoint now and it stays running.
        if (owned) await scope.endpoints.update(endpoint.id, { status: "PAUSED" }, LISTEN);
      },
    });
    const heartbeat = setInterval(() => void res.write(": ping\n\n"), HEARTBEAT_MS);
    const activated = (async () => {
      sendEvent(res, "ready", { id: endpoint.id });
      // Connected: the endpoint runs, and what it held while no CLI was here is released in order.
      const updated = await scope.endpoints.update(endpoint.id, { status: "ACTIVE" }, LISTEN);
      if (typeof updated !== "string" && updated.resumed) {
        await scope.endpoints.releaseHeld(endpoint.id, (ids) => deps.scheduler.due(ids, req.log));
      }
    })();
    // Paused only after it was activated, whichever finishes first.
    void Promise.allSettled([activated, closed])
      .then(() => {
        clearInterval(heartbeat);
        return detach();
      })
      .catch((error: unknown) =>
        req.log.warn({ err: (error as Error).message }, "could not pause a listen endpoint after its stream closed"),
      );
    await activated;
  });

  /** The CLI's report of what its local URL answered: the waiting worker records it as the attempt's result. */
  router.post("/:id/results", async (req, res) => {
    const body = parseResult(bodyOf(req));
    const scope = tenantOf(res).scope;
    if (!(await scope.endpoints.find(req.params.id, LISTEN))) throw notFound();
    await deps.hub.answer(body.delivery_id, {
      attempt_id: body.attempt_id,
      status_code: body.status_code,
      headers: body.headers,
      body: body.body,
      duration_ms: body.duration_ms,
      error: body.error,
    });
    res.status(202).end();
  });

  return router;
}
