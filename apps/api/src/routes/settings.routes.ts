import { Router } from "express";
import { presentSettings, updateSettingsSchema, type SettingsBody } from "@hookline/api-contract";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { validator } from "../http/validation.js";

const parseUpdate = validator<SettingsBody>(updateSettingsSchema, "body");

/** The tenant's own settings; for now, strict event types. */
export function settingsRoutes(): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const settings = await tenantOf(res).scope.settings.get();
    res.json(presentSettings(settings));
  });
  router.patch("/", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const settings = await tenantOf(res).scope.settings.update({ strictEventTypes: body.strict_event_types });
    res.json(presentSettings(settings));
  });
  return router;
}
