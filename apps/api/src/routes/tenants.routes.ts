import { Router } from "express";
import { createTenantSchema, presentCreatedTenant, type CreateTenantBody } from "@hookline/api-contract";
import { createTenant, type Database } from "@hookline/db";
import { bodyOf } from "../http/body.middleware.js";
import { validator } from "../http/validation.js";

const parseCreate = validator<CreateTenantBody>(createTenantSchema, "body");

/** Admin only (behind requireAdmin): creating a tenant returns its first API key, once. */
export function tenantRoutes(db: Database): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const { tenant, apiKey } = await createTenant(db, { name: body.name.trim() });
    res.status(201).json(presentCreatedTenant(tenant, apiKey));
  });

  return router;
}
