import { Router } from "express";
import {
  createEventTypeSchema,
  type EventTypeBody,
  presentBuiltinEventType,
  presentEventType,
  updateEventTypeSchema,
} from "@hookline/api-contract";
import { AppError, eventTypeProblem, isBuiltinEventType } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { assertCompilableSchema } from "@hookline/publishing";

const parseCreate = validator<EventTypeBody & { name: string }>(createEventTypeSchema, "body");
const parseUpdate = validator<EventTypeBody>(updateEventTypeSchema, "body");
const notFound = () => AppError.notFound("The event type");
const builtinIsReadOnly = () => AppError.conflict("Built-in event types cannot be changed.");

/** The registry: `{ name, description, schema, deprecated, archived }`, addressed by name. */
export function eventTypeRoutes(): Router {
  const router = Router();
  // A name that could never be registered (bad form, NUL, too long) cannot exist: 404 before any query.
  router.param("name", (_req, _res, next, name: string) => {
    if (eventTypeProblem(name, false) !== undefined) throw notFound();
    next();
  });

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const problem = eventTypeProblem(body.name, false);
    if (problem) throw AppError.validation([{ field: "name", message: problem }]);
    if (isBuiltinEventType(body.name)) throw AppError.conflict(`${body.name} is a built-in event type.`);
    assertCompilableSchema(body.schema);
    const created = await tenantOf(res).scope.eventTypes.create(body.name, body);
    if (created === "exists") throw AppError.conflict(`The event type ${body.name} already exists.`);
    res.status(201).json(presentEventType(created));
  });

  router.get("/", async (req, res) => {
    const page = await tenantOf(res).scope.eventTypes.list(pageRequest(req));
    sendPage(req, res, page, presentEventType);
  });

  router.get("/:name", async (req, res) => {
    if (isBuiltinEventType(req.params.name)) {
      res.json(presentBuiltinEventType(req.params.name));
      return;
    }
    const type = await tenantOf(res).scope.eventTypes.find(req.params.name);
    if (!type) throw notFound();
    res.json(presentEventType(type));
  });

  router.patch("/:name", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    if (isBuiltinEventType(req.params.name)) throw builtinIsReadOnly();
    assertCompilableSchema(body.schema);
    const type = await tenantOf(res).scope.eventTypes.update(req.params.name, body);
    if (!type) throw notFound();
    res.json(presentEventType(type));
  });

  router.delete("/:name", async (req, res) => {
    if (isBuiltinEventType(req.params.name)) throw builtinIsReadOnly();
    if (!(await tenantOf(res).scope.eventTypes.delete(req.params.name))) throw notFound();
    res.status(204).end();
  });

  return router;
}
