import { Router, type Request } from "express";
import swaggerUi from "swagger-ui-express";
import { buildOpenApiDocument, HOOKLINE_VERSION } from "@hookline/api-contract";
import type { TenantScope } from "@hookline/db";
import { tenantOf } from "../http/auth.middleware.js";
import { publicBaseUrl } from "../inbound/inbound-endpoints.routes.js";

/** The registered, unarchived event types of a tenant, all pages of them. */
async function eventTypesOf(scope: TenantScope) {
  const types: { name: string; description: string; schema: unknown }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await scope.eventTypes.list({ limit: 100, after });
    types.push(...page.items.filter((type) => !type.archived));
    if (page.nextAfter === undefined) return types;
    after = page.nextAfter;
  }
}

/**
 * `GET /openapi.json` (anyone), `GET /docs` (an interactive reference served from the
 * swagger-ui-dist package: nothing from a CDN) and, for a tenant, `GET /v1/openapi.json`: the same
 * document with the tenant's event types under `webhooks`, so a partner can generate a typed receiver.
 */
export function openApiRoutes(publicUrl: string | undefined): { public: Router; tenant: Router } {
  const document = (req: Request) => buildOpenApiDocument({ serverUrl: publicBaseUrl(req, publicUrl), version: HOOKLINE_VERSION });
  const open = Router();
  open.get("/openapi.json", (req, res) => void res.json(document(req)));
  open.use(
    "/docs",
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: "/openapi.json" }, customSiteTitle: "Hookline API" }),
  );

  const tenant = Router();
  tenant.get("/", async (req, res) => {
    const eventTypes = await eventTypesOf(tenantOf(res).scope);
    res.json(buildOpenApiDocument({ serverUrl: publicBaseUrl(req, publicUrl), version: HOOKLINE_VERSION, eventTypes }));
  });
  return { public: open, tenant };
}
