import { Router } from "express";
import { createTenantSchema, presentCreatedTenant, presentTenant, type CreateTenantBody } from "@hookline/api-contract";
import { createTenant, listTenants, type Database } from "@hookline/db";
import { pageRequest, sendPage } from "../http/pagination.js";
import { bodyOf } from "../http/body.middleware.js";
import { validator } from "../http/validation.js";

const parseCreate = validator<CreateTenantBody>(createTenantSchema, "body");

/** Admin only (behind requireAdmin): creating a tenant returns its first API key, once; the list. */
export function tenantRoutes(db: Database): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const { tenant, apiKey } = await createTenant(db, { name: body.name.trim() });
    res.status(201).json(presentCreatedTenant(tenant, apiKey));
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await listTenants(db, pageRequest(req)), presentTenant);
  });

  return router;
}
