import { Router } from "express";
import {
  createMomentusWebhookSchema,
  MOMENTUS_DEFAULT_TIMEOUT_SECONDS,
  presentMomentusWebhook,
  updateMomentusWebhookSchema,
  type MomentusWebhookBody,
} from "@hookline/api-contract";
import { AppError, eventTypeProblem } from "@hookline/core";
import type { EndpointOAuth } from "@hookline/db";
import { checkSubscriptionTypes } from "@hookline/publishing";
import type { Scheduler } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { customerOfBody, endpointFilter, refuseCustomer } from "../services/endpoint-customers.js";
import { generateSecret } from "../services/secrets.js";
import type { TargetCheck } from "../services/target-policy.js";
import { releaseHeldInBackground } from "../services/background-release.js";

type CreateBody = Required<Pick<MomentusWebhookBody, "name" | "trigger_action" | "url">> & MomentusWebhookBody;
const parseCreate = validator<CreateBody>(createMomentusWebhookSchema, "body");
const parseUpdate = validator<MomentusWebhookBody>(updateMomentusWebhookSchema, "body");
const notFound = () => AppError.notFound("The webhook");
const nameTaken = (name: string | undefined) =>
  AppError.conflict(`A webhook named ${name ?? "so"} already exists.`, [{ field: "name", message: "is taken" }]);
/** This API sees only the endpoints it created. */
const MOMENTUS = { flavour: "momentus" } as const;

function oauthOf(body: MomentusWebhookBody): EndpointOAuth | undefined {
  const auth = body.authentication;
  if (!auth) return undefined;
  return { tokenUrl: auth.token_url, clientId: auth.client_id, clientSecret: auth.client_secret, scope: auth.scope };
}

const activeStatus = (active: boolean | undefined) => (active === undefined ? undefined : active ? "ACTIVE" : "INACTIVE");

/**
 * Momentus-style webhooks (003), an adapter over the one engine: a unique name, a trigger action
 * (an event type, fixed once created), a callback URL, a timeout (15 s by default), a generated
 * or given secret key, asynchronous, ignore-for-API and active flags, and OAuth client credentials.
 */
export function momentusRoutes(deps: { scheduler: Scheduler; checkTargets: TargetCheck }): Router {
  const router = Router();
  guardIdParam(router, "endpoint", "The webhook");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    deps.checkTargets({ url: body.url, "authentication.token_url": body.authentication?.token_url });
    const problem = eventTypeProblem(body.trigger_action, false);
    if (problem) throw AppError.validation([{ field: "trigger_action", message: problem }]);
    const scope = tenantOf(res).scope;
    await checkSubscriptionTypes(scope, [body.trigger_action]);
    const outcome = await scope.endpoints.create({
      ...MOMENTUS,
      name: body.name,
      uniqueName: body.name,
      url: body.url,
      secret: body.secret_key ?? generateSecret(),
      headers: {},
      timeoutSeconds: body.timeout ?? MOMENTUS_DEFAULT_TIMEOUT_SECONDS,
      asynchronous: body.asynchronous ?? true,
      ignoreForApi: body.ignore_for_api ?? false,
      status: activeStatus(body.active ?? true),
      oauth: oauthOf(body),
      subscriptions: [[body.trigger_action]],
      customerId: customerOfBody(body.customer_id),
    });
    const created = refuseCustomer(outcome, body.customer_id);
    if (created === "name_taken") throw nameTaken(body.name);
    res.status(201).json(presentMomentusWebhook(created));
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.endpoints.list(pageRequest(req), MOMENTUS, endpointFilter(req)), presentMomentusWebhook);
  });

  router.get("/:id", async (req, res) => {
    const webhook = await tenantOf(res).scope.endpoints.find(req.params.id, MOMENTUS);
    if (!webhook) throw notFound();
    res.json(presentMomentusWebhook(webhook));
  });

  router.get("/:id/secret", async (req, res) => {
    const webhook = await tenantOf(res).scope.endpoints.find(req.params.id, MOMENTUS);
    if (!webhook) throw notFound();
    res.json({ secret_key: webhook.secret });
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    if (body.trigger_action !== undefined) {
      throw AppError.validation([{ field: "trigger_action", message: "cannot be changed once the webhook is created" }]);
    }
    deps.checkTargets({ url: body.url, "authentication.token_url": body.authentication?.token_url });
    const scope = tenantOf(res).scope;
    const outcome = await scope.endpoints.update(
      req.params.id,
      {
        name: body.name,
        uniqueName: body.name,
        url: body.url,
        secret: body.secret_key,
        timeoutSeconds: body.timeout,
        asynchronous: body.asynchronous,
        ignoreForApi: body.ignore_for_api,
        status: activeStatus(body.active),
        oauth: oauthOf(body),
        customerId: customerOfBody(body.customer_id),
      },
      MOMENTUS,
    );
    const result = refuseCustomer(outcome, body.customer_id);
    if (result === "not_found") throw notFound();
    if (result === "name_taken") throw nameTaken(body.name);
    // Activated again: what was held meanwhile (deliveries already due when it was switched off)
    // goes out in publish order, after the answer.
    if (result.resumed) releaseHeldInBackground(scope, req.params.id, deps.scheduler, req.log);
    res.json(presentMomentusWebhook(result.endpoint));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.endpoints.delete(req.params.id, MOMENTUS))) throw notFound();
    res.status(204).end();
  });

  return router;
}
