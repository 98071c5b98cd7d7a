import { Router } from "express";
import {
  type CreateSubscriptionBody,
  createSubscriptionSchema,
  presentSubscription,
  subscriptionListQuerySchema,
  type SubscriptionListQuery,
  type UpdateSubscriptionBody,
  updateSubscriptionSchema,
} from "@hookline/api-contract";
import { AppError, eventTypeProblem, type FieldProblem } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";
import { checkSubscriptionTypes } from "@hookline/publishing";

const parseCreate = validator<CreateSubscriptionBody>(createSubscriptionSchema, "body");
const parseUpdate = validator<UpdateSubscriptionBody>(updateSubscriptionSchema, "body");
const parseListQuery = validator<SubscriptionListQuery>(subscriptionListQuerySchema, "query");

function checkEventTypes(eventTypes: string[] | undefined): void {
  if (!eventTypes) return;
  const problems: FieldProblem[] = [];
  eventTypes.forEach((name, i) => {
    const problem = eventTypeProblem(name, true);
    if (problem) problems.push({ field: `event_types.${i}`, message: problem });
  });
  if (problems.length > 0) throw AppError.validation(problems, "The request body is invalid.");
}

const notFound = () => AppError.notFound("The subscription");
const endpointNotFound = (id: string) => AppError.notFound(`The endpoint ${id}`);

export function subscriptionRoutes(): Router {
  const router = Router();
  guardIdParam(router, "subscription", "The subscription");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    checkEventTypes(body.event_types);
    await checkSubscriptionTypes(tenantOf(res).scope, body.event_types);
    const result = await tenantOf(res).scope.subscriptions.create({ endpointId: body.endpoint_id, eventTypes: body.event_types });
    if (result === "endpoint_not_found") throw endpointNotFound(body.endpoint_id);
    res.status(201).json(presentSubscription(result));
  });

  router.get("/", async (req, res) => {
    const { endpoint_id } = parseListQuery(req.query);
    const page = await tenantOf(res).scope.subscriptions.list(pageRequest(req), { endpointId: endpoint_id });
    sendPage(req, res, page, presentSubscription);
  });

  router.get("/:id", async (req, res) => {
    const subscription = await tenantOf(res).scope.subscriptions.find(req.params.id);
    if (!subscription) throw notFound();
    res.json(presentSubscription(subscription));
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    checkEventTypes(body.event_types);
    if (body.event_types) await checkSubscriptionTypes(tenantOf(res).scope, body.event_types);
    const result = await tenantOf(res).scope.subscriptions.update(req.params.id, {
      endpointId: body.endpoint_id,
      eventTypes: body.event_types,
    });
    if (result === "not_found") throw notFound();
    if (result === "endpoint_not_found") throw endpointNotFound(body.endpoint_id ?? "");
    res.json(presentSubscription(result));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.subscriptions.delete(req.params.id))) throw notFound();
    res.status(204).end();
  });

  return router;
}
