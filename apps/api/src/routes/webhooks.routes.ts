import { Router } from "express";
import { AppError, eventTypeProblem } from "@hookline/core";
import { checkSubscriptionTypes } from "@hookline/publishing";
import type { Scheduler } from "@hookline/queue";
import type { MomentusWebhook } from "@hookline/db";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { iso } from "../presenters/timestamps.js";
import {
  createMomentusWebhookSchema,
  MOMENTUS_DEFAULT_TIMEOUT_SECONDS,
  updateMomentusWebhookSchema,
  type MomentusWebhookBody,
} from "../schemas/momentus-webhook.schemas.js";
import { generateSecret } from "../services/secrets.js";
import type { TargetCheck } from "../services/target-policy.js";

type CreateBody = Required<Pick<MomentusWebhookBody, "name" | "trigger_action" | "url">> & MomentusWebhookBody;
const parseCreate = validator<CreateBody>(createMomentusWebhookSchema, "body");
const parseUpdate = validator<MomentusWebhookBody>(updateMomentusWebhookSchema, "body");
const notFound = () => AppError.notFound("The webhook");
const nameTaken = (name: string | undefined) =>
  AppError.conflict(`A webhook named ${name ?? "so"} already exists.`, [{ field: "name", message: "is taken" }]);

function present(webhook: MomentusWebhook) {
  return {
    id: webhook.id,
    name: webhook.name,
    trigger_action: webhook.subscriptions[0]?.eventTypes[0] ?? null,
    url: webhook.url,
    timeout: webhook.timeoutSeconds,
    asynchronous: webhook.asynchronous,
    ignore_for_api: webhook.ignoreForApi,
    active: webhook.status !== "INACTIVE",
    status: webhook.status,
    // The client secret and the signing secret are write-only; GET …/secret returns the latter.
    authentication: { method: "oauth", token_url: webhook.oauthTokenUrl, client_id: webhook.oauthClientId, scope: webhook.oauthScope },
    created_at: iso(webhook.createdAt),
    updated_at: iso(webhook.updatedAt),
  };
}

function oauthFields(body: MomentusWebhookBody) {
  const auth = body.authentication;
  if (!auth) return undefined;
  return { tokenUrl: auth.token_url, clientId: auth.client_id, clientSecret: auth.client_secret, scope: auth.scope };
}

/**
 * Momentus-style webhooks (003): a unique name, a trigger action (an event type, fixed once
 * created), a callback URL, a timeout (15 s by default), a generated or given secret key,
 * asynchronous, ignore-for-API and active flags, and OAuth client credentials.
 */
export function webhookRoutes(deps: { scheduler: Scheduler; checkTargets: TargetCheck }): Router {
  const router = Router();
  guardIdParam(router, "endpoint", "The webhook");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    deps.checkTargets({ url: body.url, "authentication.token_url": body.authentication?.token_url });
    const problem = eventTypeProblem(body.trigger_action, false);
    if (problem) throw AppError.validation([{ field: "trigger_action", message: problem }]);
    const scope = tenantOf(res).scope;
    await checkSubscriptionTypes(scope, [body.trigger_action]);
    const created = await scope.momentusWebhooks.create(body.trigger_action, {
      name: body.name,
      url: body.url,
      secret: body.secret_key ?? generateSecret(),
      timeoutSeconds: body.timeout ?? MOMENTUS_DEFAULT_TIMEOUT_SECONDS,
      asynchronous: body.asynchronous ?? true,
      ignoreForApi: body.ignore_for_api ?? false,
      active: body.active ?? true,
      oauth: oauthFields(body),
    });
    if (created === "name_taken") throw nameTaken(body.name);
    res.status(201).json(present(created));
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.momentusWebhooks.list(pageRequest(req)), present);
  });

  router.get("/:id", async (req, res) => {
    const webhook = await tenantOf(res).scope.momentusWebhooks.find(req.params.id);
    if (!webhook) throw notFound();
    res.json(present(webhook));
  });

  router.get("/:id/secret", async (req, res) => {
    const webhook = await tenantOf(res).scope.momentusWebhooks.find(req.params.id);
    if (!webhook) throw notFound();
    res.json({ secret_key: webhook.secret });
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    if (body.trigger_action !== undefined) {
      throw AppError.validation([{ field: "trigger_action", message: "cannot be changed once the webhook is created" }]);
    }
    deps.checkTargets({ url: body.url, "authentication.token_url": body.authentication?.token_url });
    const result = await tenantOf(res).scope.momentusWebhooks.update(
      req.params.id,
      {
        name: body.name,
        url: body.url,
        secret: body.secret_key,
        timeoutSeconds: body.timeout,
        asynchronous: body.asynchronous,
        ignoreForApi: body.ignore_for_api,
        active: body.active,
        oauth: oauthFields(body),
      },
      (ids) => deps.scheduler.due(ids, req.log),
    );
    if (result === "not_found") throw notFound();
    if (result === "name_taken") throw nameTaken(body.name);
    res.json(present(result.webhook));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.momentusWebhooks.delete(req.params.id))) throw notFound();
    res.status(204).end();
  });

  return router;
}
