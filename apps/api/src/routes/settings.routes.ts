import { Router } from "express";
import { presentSettings, updateSettingsSchema, type SettingsBody } from "@hookline/api-contract";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { validator } from "../http/validation.js";

const parseUpdate = validator<SettingsBody>(updateSettingsSchema, "body");

/**
 * The tenant's own settings: strict event types, how long history is kept, and the customer
 * portal's look and framing. `defaultRetentionDays` answers for tenants without their own.
 */
export function settingsRoutes(options: { defaultRetentionDays: number }): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const settings = await tenantOf(res).scope.settings.get();
    res.json(presentSettings(settings, options.defaultRetentionDays));
  });
  router.patch("/", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const portal = body.portal ?? {};
    const settings = await tenantOf(res).scope.settings.update({
      strictEventTypes: body.strict_event_types,
      retentionDays: body.retention_days,
      portalName: portal.name,
      portalLogoUrl: portal.logo_url,
      portalAccentColor: portal.accent_color,
      portalFrameAncestors: portal.frame_ancestors,
    });
    res.json(presentSettings(settings, options.defaultRetentionDays));
  });
  return router;
}
