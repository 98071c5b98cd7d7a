import { Router } from "express";
import { createTenant, type Database } from "@hookline/db";
import { bodyOf } from "../http/body.middleware.js";
import { validator } from "../http/validation.js";
import { iso } from "../presenters/timestamps.js";
import { createTenantSchema, type CreateTenantBody } from "../schemas/tenant.schemas.js";

const parseCreate = validator<CreateTenantBody>(createTenantSchema, "body");

/** Admin only (behind requireAdmin): creating a tenant returns its first API key, once. */
export function tenantRoutes(db: Database): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const { tenant, apiKey } = await createTenant(db, { name: body.name.trim() });
    res.status(201).json({ id: tenant.id, name: tenant.name, api_key: apiKey, created_at: iso(tenant.createdAt) });
  });

  return router;
}
