import { Router } from "express";
import { AppError } from "@hookline/core";
import type { WebhookSetting } from "@hookline/db";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { iso } from "../presenters/timestamps.js";
import {
  createWebhookSettingSchema,
  MONITE_OBJECT_TYPES,
  moniteEventTypes,
  updateWebhookSettingSchema,
  type MoniteObjectType,
  type WebhookSettingBody,
} from "../schemas/webhook-setting.schemas.js";
import { generateSecret } from "../services/secrets.js";
import type { TargetCheck } from "../services/target-policy.js";

const parseCreate = validator<WebhookSettingBody & { object_type: string; url: string }>(createWebhookSettingSchema, "body");
const parseUpdate = validator<WebhookSettingBody>(updateWebhookSettingSchema, "body");
const notFound = () => AppError.notFound("The webhook setting");

function objectType(value: string): MoniteObjectType {
  if ((MONITE_OBJECT_TYPES as string[]).includes(value)) return value as MoniteObjectType;
  throw AppError.validation([{ field: "object_type", message: `must be one of ${MONITE_OBJECT_TYPES.join(", ")}` }]);
}

function present(setting: WebhookSetting) {
  const eventType = setting.subscriptions[0]?.eventTypes[0] ?? "";
  return {
    id: setting.id,
    object_type: eventType.split(".")[0] ?? "",
    url: setting.url,
    name: setting.name,
    status: setting.status,
    created_at: iso(setting.createdAt),
    updated_at: iso(setting.updatedAt),
  };
}

/**
 * Monite's `webhook_settings` (001): one setting per object type and URL. Deliveries carry
 * `{ object_id, object_type, action, name }`, signed and retried like every other delivery.
 */
export function webhookSettingRoutes(deps: { checkTargets: TargetCheck }): Router {
  const router = Router();
  guardIdParam(router, "endpoint", "The webhook setting");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const type = objectType(body.object_type);
    deps.checkTargets({ url: body.url });
    const secret = generateSecret();
    const setting = await tenantOf(res).scope.webhookSettings.create({
      name: body.name ?? `${type} webhook`,
      url: body.url,
      secret,
      eventTypes: moniteEventTypes(type),
    });
    // The secret is shown here once; GET …/secret returns it again.
    res.status(201).json({ ...present(setting), secret });
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.webhookSettings.list(pageRequest(req)), present);
  });

  router.get("/:id", async (req, res) => {
    const setting = await tenantOf(res).scope.webhookSettings.find(req.params.id);
    if (!setting) throw notFound();
    res.json(present(setting));
  });

  router.get("/:id/secret", async (req, res) => {
    const setting = await tenantOf(res).scope.webhookSettings.find(req.params.id);
    if (!setting) throw notFound();
    res.json({ secret: setting.secret });
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const type = body.object_type === undefined ? undefined : objectType(body.object_type);
    deps.checkTargets({ url: body.url });
    const setting = await tenantOf(res).scope.webhookSettings.update(req.params.id, {
      name: body.name,
      url: body.url,
      eventTypes: type === undefined ? undefined : moniteEventTypes(type),
    });
    if (!setting) throw notFound();
    res.json(present(setting));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.webhookSettings.delete(req.params.id))) throw notFound();
    res.status(204).end();
  });

  return router;
}
