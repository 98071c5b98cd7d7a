import { Router, type Request } from "express";
import {
  createIntegrationSchema,
  presentFlowExecution,
  presentIntegration,
  testInvocationSchema,
  toEndpointConfig,
  updateIntegrationSchema,
  type FlowBody,
  type IntegrationBody,
  type TestInvocationBody,
} from "@hookline/api-contract";
import { AppError, endpointConfigProblems, type EndpointConfig, type FieldProblem } from "@hookline/core";
import type { FlowInput } from "@hookline/db";
import type { IntegrationService } from "@hookline/inbound";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { publicBaseUrl } from "../inbound/inbound-endpoints.routes.js";

const parseCreate = validator<IntegrationBody>(createIntegrationSchema, "body");
const parseUpdate = validator<Partial<IntegrationBody>>(updateIntegrationSchema, "body");
const parseTest = validator<TestInvocationBody>(testInvocationSchema, "body");
const notFound = () => AppError.notFound("The integration");

export interface IntegrationRouteDeps {
  readonly integrations: IntegrationService;
  readonly publicUrl: string | undefined;
}

/** Compiles every flow (a 400 names each that does not compile, by line and column) and checks their names are unique. */
async function compileFlows(integrations: IntegrationService, flows: readonly FlowBody[]): Promise<FlowInput[]> {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const compiled = await Promise.all(
    flows.map(async (flow, i) => {
      if (seen.has(flow.name)) problems.push({ field: `flows.${i}.name`, message: `repeats the flow name ${flow.name}` });
      seen.add(flow.name);
      const result = await integrations.compile(flow.code);
      if (!result.ok) {
        for (const p of result.problems)
          problems.push({ field: `flows.${i}.code`, message: `line ${p.line}, column ${p.column}: ${p.message}` });
        return undefined;
      }
      const security = flow.security ?? { type: "none" };
      return {
        name: flow.name,
        source: flow.code,
        compiled: result.js,
        security:
          security.type === "organization"
            ? { type: "organization" as const, key: security.organization_key }
            : security.type === "customer"
              ? { type: "customer" as const, required: security.required ?? false }
              : { type: "none" as const },
      };
    }),
  );
  if (problems.length > 0) throw AppError.validation(problems, "The integration's flows are invalid.");
  return compiled as FlowInput[];
}

function checkConfig(flows: readonly { name: string }[], endpointConfig: EndpointConfig): void {
  const problems = endpointConfigProblems({ flows, endpointConfig });
  if (problems.length > 0) throw AppError.validation(problems, "The endpoint configuration does not fit the flows.");
}

/** `/v1/integrations`: integrations, their draft, published versions, test invocations and executions. */
export function integrationRoutes(deps: IntegrationRouteDeps): Router {
  const router = Router();
  guardIdParam(router, "integration", "The integration");
  const base = (req: Request) => publicBaseUrl(req, deps.publicUrl);

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const flows = await compileFlows(deps.integrations, body.flows);
    const endpointConfig = toEndpointConfig(body.endpoint_config);
    checkConfig(flows, endpointConfig);
    const integration = await tenantOf(res).scope.integrations.create({ name: body.name, flows, endpointConfig });
    res.status(201).json(presentIntegration(integration, base(req)));
  });

  router.get("/", async (req, res) => {
    const page = await tenantOf(res).scope.integrations.list(pageRequest(req));
    sendPage(req, res, page, (integration) => presentIntegration(integration, base(req)));
  });

  router.get("/:id", async (req, res) => {
    const integration = await tenantOf(res).scope.integrations.find(req.params.id);
    if (!integration) throw notFound();
    res.json(presentIntegration(integration, base(req)));
  });

  /** Edits the draft: `flows` and `endpoint_config` each replace what the draft had. */
  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const scope = tenantOf(res).scope;
    const current = await scope.integrations.find(req.params.id);
    if (!current) throw notFound();
    const flows = body.flows === undefined ? undefined : await compileFlows(deps.integrations, body.flows);
    const endpointConfig = body.endpoint_config === undefined ? undefined : toEndpointConfig(body.endpoint_config);
    checkConfig(flows ?? current.flows, endpointConfig ?? current.endpointConfig);
    const updated = await scope.integrations.update(req.params.id, { name: body.name, flows, endpointConfig });
    if (!updated) throw notFound();
    res.json(presentIntegration(updated, base(req)));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.integrations.delete(req.params.id))) throw notFound();
    res.status(204).end();
  });

  /** Publishes the draft: its flows and endpoint configuration, frozen as the next version. */
  router.post("/:id/versions", async (req, res) => {
    const published = await tenantOf(res).scope.integrations.publish(req.params.id);
    if (!published) throw notFound();
    res.status(201).json({ version: published.version, created_at: published.createdAt.toISOString() });
  });

  /** Executions of the integration; `?unrouted=true`: those that never reached an instance (a shared endpoint's refusals). */
  router.get("/:id/executions", async (req, res) => {
    const scope = tenantOf(res).scope;
    if (!(await scope.integrations.find(req.params.id))) throw notFound();
    const unrouted = req.query.unrouted === "true";
    const page = await scope.flowExecutions.listForIntegration(req.params.id, pageRequest(req), { unrouted });
    sendPage(req, res, page, presentFlowExecution);
  });

  /**
   * Runs the draft's endpoint configuration and flows on a sample request, always as the test
   * customer, whatever customer the request names: no real customer's instance ever runs.
   */
  router.post("/:id/test", async (req, res) => {
    const body = parseTest(bodyOf(req));
    const scope = tenantOf(res).scope;
    const execution = await deps.integrations.test(scope, req.params.id, body, req.log);
    if (!execution) throw notFound();
    res.json(presentFlowExecution(execution));
  });

  return router;
}
