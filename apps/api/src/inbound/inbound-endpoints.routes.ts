import { Router, type Request } from "express";
import {
  createInboundEndpointSchema,
  DEFAULT_ACCESS_LEVEL,
  executionsQuerySchema,
  inboundPathProblems,
  presentExecution,
  presentInboundEndpoint,
  updateInboundEndpointSchema,
  type CreateInboundEndpointBody,
  type ExecutionsQuery,
  type UpdateInboundEndpointBody,
} from "@hookline/api-contract";
import { AppError, isId } from "@hookline/core";
import type { InboundEndpoint, InboundEndpointClash, TenantScope } from "@hookline/db";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { checkBrands } from "./brand-check.js";
import { addWorkflowRoutes, type WorkflowRouteDeps } from "./workflow.routes.js";

const parseCreate = validator<CreateInboundEndpointBody>(createInboundEndpointSchema, "body");
const parseUpdate = validator<UpdateInboundEndpointBody>(updateInboundEndpointSchema, "body");
const parseExecutionsQuery = validator<ExecutionsQuery>(executionsQuerySchema, "query");
const notFound = () => AppError.notFound("The inbound endpoint");

function checkPath(body: { path?: string | undefined }): void {
  const problems = inboundPathProblems(body);
  if (problems.length > 0) throw AppError.validation(problems, "The request body is invalid.");
}

function answer(result: InboundEndpoint | InboundEndpointClash): InboundEndpoint {
  if ("outcome" in result) {
    throw AppError.conflict(`The path overlaps with the inbound endpoint ${result.endpointId} (${result.method} ${result.path}).`, [
      { field: "path", message: `overlaps with ${result.method} ${result.path} (${result.endpointId}), served in the same environments` },
    ]);
  }
  return result;
}

/** Where the endpoint's public URLs start: PUBLIC_URL when set, or the address this request came to. */
export function publicBaseUrl(req: Request, configured: string | undefined): string {
  return configured ?? `${req.protocol}://${req.get("host") ?? "localhost"}`;
}

export interface InboundEndpointRouteDeps extends WorkflowRouteDeps {
  readonly publicUrl: string | undefined;
}

/** `/v1/inbound_endpoints`: the endpoints, their workflows (workflow.routes.ts) and their executions. */
export function inboundEndpointRoutes(deps: InboundEndpointRouteDeps): Router {
  const router = Router();
  guardIdParam(router, "inboundEndpoint", "The inbound endpoint");

  const present = async (req: Request, scope: TenantScope, endpoints: readonly InboundEndpoint[]) => {
    const environments = await scope.environments.all();
    const base = publicBaseUrl(req, deps.publicUrl);
    return endpoints.map((endpoint) => presentInboundEndpoint(endpoint, environments, base));
  };

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    checkPath(body);
    const scope = tenantOf(res).scope;
    await checkBrands(scope, body.brand_ids);
    const endpoint = answer(
      await scope.inboundEndpoints.create({
        name: body.name,
        description: body.description,
        path: body.path,
        method: body.method,
        accessLevel: body.access_level ?? DEFAULT_ACCESS_LEVEL,
        brandIds: body.brand_ids ?? [],
      }),
    );
    res.status(201).json((await present(req, scope, [endpoint]))[0]);
  });

  router.get("/", async (req, res) => {
    const scope = tenantOf(res).scope;
    const page = await scope.inboundEndpoints.list(pageRequest(req));
    const presented = await present(req, scope, page.items);
    sendPage(req, res, { ...page, items: presented }, (item) => item);
  });

  router.get("/:id", async (req, res) => {
    const scope = tenantOf(res).scope;
    const endpoint = await scope.inboundEndpoints.find(req.params.id);
    if (!endpoint) throw notFound();
    res.json((await present(req, scope, [endpoint]))[0]);
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    checkPath(body);
    const scope = tenantOf(res).scope;
    await checkBrands(scope, body.brand_ids);
    const result = await scope.inboundEndpoints.update(req.params.id, {
      name: body.name,
      description: body.description,
      path: body.path,
      method: body.method,
      accessLevel: body.access_level,
      brandIds: body.brand_ids,
    });
    if (result === "not_found") throw notFound();
    res.json((await present(req, scope, [answer(result)]))[0]);
  });

  /** For good: its workflow versions and executions go with it. */
  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.inboundEndpoints.delete(req.params.id))) throw notFound();
    res.status(204).end();
  });

  router.get("/:id/executions", async (req, res) => {
    const query = parseExecutionsQuery(req.query);
    if (query.environment_id !== undefined && !isId("environment", query.environment_id)) {
      throw AppError.validation([{ field: "environment_id", message: "is not an environment id" }]);
    }
    const page = await tenantOf(res).scope.executions.listForEndpoint(req.params.id, pageRequest(req), {
      outcome: query.outcome,
      environmentId: query.environment_id,
    });
    if (!page) throw notFound();
    sendPage(req, res, page, presentExecution);
  });

  addWorkflowRoutes(router, deps);

  return router;
}
