import { Router } from "express";
import { type CreateApiKeyBody, createApiKeySchema, presentApiKey } from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";

const parseCreate = validator<CreateApiKeyBody>(createApiKeySchema, "body");

/** A tenant manages its own keys: list, issue more (shown once), revoke. */
export function apiKeyRoutes(): Router {
  const router = Router();
  guardIdParam(router, "apiKey", "The API key");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const expiresAt = body.expires_at === undefined ? undefined : new Date(body.expires_at);
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw AppError.validation([{ field: "expires_at", message: "must be in the future" }]);
    }
    const { record, apiKey } = await tenantOf(res).scope.apiKeys.create({ name: body.name, expiresAt });
    res.status(201).json({ ...presentApiKey(record), api_key: apiKey });
  });

  router.get("/", async (req, res) => {
    const page = await tenantOf(res).scope.apiKeys.list(pageRequest(req));
    sendPage(req, res, page, presentApiKey);
  });

  router.delete("/:id", async (req, res) => {
    const revoked = await tenantOf(res).scope.apiKeys.revoke(req.params.id);
    if (!revoked) throw AppError.notFound("The API key");
    res.status(204).end();
  });

  return router;
}
