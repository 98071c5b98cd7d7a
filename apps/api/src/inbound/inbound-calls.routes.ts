import { validateHeaderName, validateHeaderValue } from "node:http";
import { Router, type Request, type Response } from "express";
import { INBOUND_KEY_HEADER } from "@hookline/api-contract";
import { headerPairs, isTextContentType, isTooLarge, readBody } from "./call-body.js";
import { AppError } from "@hookline/core";
import type { InboundService } from "@hookline/inbound";
import type { TenantBudget } from "../http/rate-limit.middleware.js";
import { bindRequestLog } from "../http/request-context.js";

/** Headers that describe one connection or one encoding of the body, which the server sets itself. */
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
  "trailer",
  "te",
  "proxy-connection",
]);

/** The sandbox checks a response's headers already; Node's own rules are the last word. */
function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers a browser's CORS preflight for a frontend calling an endpoint with its public key: the
 * methods the path takes, the headers asked for (X-MOS-Key, Content-Type, …), any origin. It
 * exposes nothing: the real response still needs the workflow's own Access-Control-Allow-Origin.
 */
async function preflight(inbound: InboundService, environmentId: string, req: Request, res: Response): Promise<void> {
  const methods = await inbound.preflight(environmentId, req.path);
  if (methods.length === 0)
    throw new AppError({ status: 404, code: "not_found", message: `No inbound endpoint answers ${req.path} in this environment.` });
  res.setHeader("Access-Control-Allow-Origin", req.get("origin") ?? "*");
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Methods", methods.join(", "));
  const asked = req.get("access-control-request-headers");
  if (asked && /^[A-Za-z0-9!#$%&'*+.^_`|~, -]{1,1000}$/.test(asked)) res.setHeader("Access-Control-Allow-Headers", asked);
  res.setHeader("Access-Control-Max-Age", "600");
  res.status(204).end();
}

/**
 * `/api/v1/envs/<environmentId>/endpoints/<path>`: calls from other systems, answered by the
 * tenant's workflow. In order: route (404, 405), the tenant's rate limit (429), the key and the
 * workflow's state (401, 503), the body (415, 413), then the workflow. Mounted before the JSON
 * body parser and the API's security headers: what the caller gets is what the workflow answered.
 */
export function inboundCallRoutes(deps: { inbound: InboundService; budget: TenantBudget }): Router {
  const router = Router({ mergeParams: true });

  router.use(async (req, res) => {
    const environmentId = (req.params as { environmentId?: string }).environmentId ?? "";
    if (req.method === "OPTIONS" && req.get("access-control-request-method")) {
      await preflight(deps.inbound, environmentId, req, res);
      return;
    }
    const queryAt = req.originalUrl.indexOf("?");
    const routed = await deps.inbound.route({
      environmentId,
      method: req.method,
      path: req.path,
      query: queryAt === -1 ? "" : req.originalUrl.slice(queryAt + 1),
      url: `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`,
      headers: headerPairs(req.rawHeaders),
      log: req.log,
    });
    if (routed.outcome === "refused") {
      if (routed.allow) res.setHeader("Allow", routed.allow.join(", "));
      throw routed.error;
    }
    const call = routed.call;
    bindRequestLog(req, res, { tenant_id: call.tenantId, execution_id: call.executionId });
    await deps.budget(call.tenantId, res);
    res.setHeader("X-Hookline-Execution-Id", call.executionId);

    const refusal = call.admit(req.get(INBOUND_KEY_HEADER));
    if (refusal) throw refusal;
    if (!isTextContentType(req.get("content-type"))) {
      throw new AppError({
        status: 415,
        code: "unsupported_media_type",
        message: "Inbound endpoints take text bodies (JSON, XML, forms, plain text…).",
      });
    }
    let body: Buffer;
    try {
      body = await readBody(req, res);
    } catch (error) {
      if (isTooLarge(error)) throw call.tooLarge(Number(req.get("content-length")) || undefined);
      throw error;
    }

    const answer = await call.run(body.toString("utf8"));
    if (answer.kind === "error") throw answer.error;
    let typed = false;
    for (const [name, value] of answer.headers) {
      const lower = name.toLowerCase();
      if (NOT_FORWARDED.has(lower) || !validHeader(name, value)) continue;
      typed ||= lower === "content-type";
      res.append(name, value);
    }
    if (!typed && answer.body.length > 0) res.setHeader("Content-Type", "text/plain; charset=utf-8");
    res.status(answer.status).end(answer.body);
  });

  return router;
}
