import { Router } from "express";
import { AppError } from "@hookline/core";
import type { IntegrationService } from "@hookline/inbound";
import type { TenantBudget } from "../http/rate-limit.middleware.js";
import { bindRequestLog } from "../http/request-context.js";
import { headerPairs, isTextContentType, isTooLarge, readBody } from "../inbound/call-body.js";

/**
 * `/api/v1/trigger/<token>`: calls of an integration's URLs (seed 004). In order: the token
 * (404), the tenant's rate limit (429), the body (415, 413), then routing and the flow's key
 * (4xx, recorded), and the call is stored and answered at once: 200 `{ execution_id }`. A worker
 * runs the flow. Mounted before the JSON body parser: trigger bodies are any text.
 */
export function triggerCallRoutes(deps: { integrations: IntegrationService; budget: TenantBudget }): Router {
  const router = Router({ mergeParams: true });

  router.use(async (req, res) => {
    const token = (req.params as { token?: string }).token ?? "";
    const target = await deps.integrations.resolve(token);
    if (!target) throw new AppError({ status: 404, code: "not_found", message: "No trigger has this URL." });
    bindRequestLog(req, res, { tenant_id: target.tenantId });
    await deps.budget(target.tenantId, res);
    if (!isTextContentType(req.get("content-type"))) {
      throw new AppError({
        status: 415,
        code: "unsupported_media_type",
        message: "Triggers take text bodies (JSON, XML, forms, plain text…).",
      });
    }
    let body: Buffer;
    try {
      body = await readBody(req, res);
    } catch (error) {
      if (isTooLarge(error))
        throw new AppError({
          status: 413,
          code: "payload_too_large",
          message: "The request body is larger than the 5 MB a trigger accepts.",
        });
      throw error;
    }
    const queryAt = req.originalUrl.indexOf("?");
    const answer = await deps.integrations.dispatch(target, {
      method: req.method,
      url: `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`,
      path: req.path,
      query: queryAt === -1 ? "" : req.originalUrl.slice(queryAt + 1),
      headers: headerPairs(req.rawHeaders),
      body: body.toString("utf8"),
      log: req.log,
    });
    if (answer.executionId !== undefined) {
      res.setHeader("X-Hookline-Execution-Id", answer.executionId);
      bindRequestLog(req, res, { execution_id: answer.executionId });
    }
    if (answer.kind === "refused") throw answer.error;
    res.status(200).json({ execution_id: answer.executionId });
  });

  return router;
}
