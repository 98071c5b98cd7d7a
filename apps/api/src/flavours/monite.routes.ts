import { Router } from "express";
import {
  createWebhookSettingSchema,
  MONITE_OBJECT_TYPES,
  moniteEventTypes,
  presentWebhookSetting,
  updateWebhookSettingSchema,
  DEFAULT_TIMEOUT_SECONDS,
  type MoniteObjectType,
  type WebhookSettingBody,
} from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { customerOfBody, endpointFilter, refuseCustomer } from "../services/endpoint-customers.js";
import { generateSecret } from "../services/secrets.js";
import type { TargetCheck } from "../services/target-policy.js";

const parseCreate = validator<WebhookSettingBody & { object_type: string; url: string }>(createWebhookSettingSchema, "body");
const parseUpdate = validator<WebhookSettingBody>(updateWebhookSettingSchema, "body");
const notFound = () => AppError.notFound("The webhook setting");
/** This API sees only the endpoints it created. */
const MONITE = { flavour: "monite" } as const;

function objectType(value: string): MoniteObjectType {
  if ((MONITE_OBJECT_TYPES as string[]).includes(value)) return value as MoniteObjectType;
  throw AppError.validation([{ field: "object_type", message: `must be one of ${MONITE_OBJECT_TYPES.join(", ")}` }]);
}

/**
 * Monite's `webhook_settings` (001), an adapter over the one engine: one setting per object type
 * and URL is an endpoint of flavour `monite` subscribed to that object type's events. Its
 * deliveries carry `{ object_id, object_type, action, name }`, signed and retried like every other.
 */
export function moniteRoutes(deps: { checkTargets: TargetCheck }): Router {
  const router = Router();
  guardIdParam(router, "endpoint", "The webhook setting");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const type = objectType(body.object_type);
    deps.checkTargets({ url: body.url });
    const secret = generateSecret();
    const created = await tenantOf(res).scope.endpoints.create({
      ...MONITE,
      name: body.name ?? `${type} webhook`,
      url: body.url,
      secret,
      headers: {},
      timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
      subscriptions: [moniteEventTypes(type)],
      customerId: customerOfBody(body.customer_id),
    });
    const setting = refuseCustomer(created, body.customer_id);
    // The secret is shown here once; GET …/secret returns it again.
    res.status(201).json({ ...presentWebhookSetting(setting), secret });
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.endpoints.list(pageRequest(req), MONITE, endpointFilter(req)), presentWebhookSetting);
  });

  router.get("/:id", async (req, res) => {
    const setting = await tenantOf(res).scope.endpoints.find(req.params.id, MONITE);
    if (!setting) throw notFound();
    res.json(presentWebhookSetting(setting));
  });

  router.get("/:id/secret", async (req, res) => {
    const setting = await tenantOf(res).scope.endpoints.find(req.params.id, MONITE);
    if (!setting) throw notFound();
    res.json({ secret: setting.secret });
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const type = body.object_type === undefined ? undefined : objectType(body.object_type);
    deps.checkTargets({ url: body.url });
    const result = await tenantOf(res).scope.endpoints.update(
      req.params.id,
      {
        name: body.name,
        url: body.url,
        subscriptions: type === undefined ? undefined : [moniteEventTypes(type)],
        customerId: customerOfBody(body.customer_id),
      },
      MONITE,
    );
    const updated = refuseCustomer(result, body.customer_id);
    if (typeof updated === "string") throw notFound();
    res.json(presentWebhookSetting(updated.endpoint));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.endpoints.delete(req.params.id, MONITE))) throw notFound();
    res.status(204).end();
  });

  return router;
}
