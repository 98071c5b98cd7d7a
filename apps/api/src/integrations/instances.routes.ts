import { Router, type Request } from "express";
import {
  deployInstanceSchema,
  presentFlowExecution,
  presentInstance,
  updateInstanceSchema,
  type ConfigValueBody,
  type DeployInstanceBody,
  type UpdateInstanceBody,
} from "@hookline/api-contract";
import { AppError, isId } from "@hookline/core";
import type { ConfigInput, Instance, InstanceRefusal } from "@hookline/db";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { publicBaseUrl } from "../inbound/inbound-endpoints.routes.js";

const parseDeploy = validator<DeployInstanceBody>(deployInstanceSchema, "body");
const parseUpdate = validator<UpdateInstanceBody>(updateInstanceSchema, "body");
const notFound = () => AppError.notFound("The instance");

const configOf = (config: Record<string, ConfigValueBody> | undefined): Record<string, ConfigInput> =>
  Object.fromEntries(
    Object.entries(config ?? {}).map(([name, entry]) => [
      name,
      typeof entry === "string" ? { value: entry, secret: false } : { value: entry.value, secret: entry.secret ?? false },
    ]),
  );

function answer(result: Instance | InstanceRefusal, body: { integration_id?: string; customer_id?: string }): Instance {
  if (!("outcome" in result)) return result;
  switch (result.outcome) {
    case "no_such_integration":
      throw AppError.notFound(`The integration ${body.integration_id ?? ""}`.trim());
    case "no_such_customer":
      throw AppError.notFound(`The customer ${body.customer_id ?? ""}`.trim());
    case "no_such_version":
      throw AppError.notFound(`Version ${result.version} of the integration`);
    case "already_deployed":
      throw AppError.conflict(`The customer has an instance of this integration already (${result.instanceId}): upgrade it instead.`);
    case "api_keys_required":
      throw AppError.validation([
        { field: `api_keys.${result.flow}`, message: "is required: the flow is secured by keys the customer must provide" },
      ]);
    case "unknown_flow":
      throw AppError.validation([{ field: `api_keys.${result.flow}`, message: "names no flow of this version" }]);
  }
}

/** `/v1/instances`: deploy an integration version to a customer, upgrade it, remove it. */
export function instanceRoutes(deps: { publicUrl: string | undefined }): Router {
  const router = Router();
  guardIdParam(router, "instance", "The instance");
  const base = (req: Request) => publicBaseUrl(req, deps.publicUrl);

  router.post("/", async (req, res) => {
    const body = parseDeploy(bodyOf(req));
    if (!isId("integration", body.integration_id)) throw AppError.notFound(`The integration ${body.integration_id}`);
    if (!isId("customer", body.customer_id)) throw AppError.notFound(`The customer ${body.customer_id}`);
    const deployed = await tenantOf(res).scope.instances.deploy({
      integrationId: body.integration_id,
      version: body.version,
      customerId: body.customer_id,
      config: configOf(body.config),
      apiKeys: body.api_keys ?? {},
    });
    res.status(201).json(presentInstance(answer(deployed, body), base(req)));
  });

  router.get("/", async (req, res) => {
    const filter = {
      integrationId: typeof req.query.integration_id === "string" ? req.query.integration_id : undefined,
      customerId: typeof req.query.customer_id === "string" ? req.query.customer_id : undefined,
    };
    const page = await tenantOf(res).scope.instances.list(pageRequest(req), filter);
    sendPage(req, res, page, (instance) => presentInstance(instance, base(req)));
  });

  router.get("/:id", async (req, res) => {
    const instance = await tenantOf(res).scope.instances.find(req.params.id);
    if (!instance) throw notFound();
    res.json(presentInstance(instance, base(req)));
  });

  /** Upgrades to another published version (URLs follow its endpoint configuration) or replaces the config. */
  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const updated = await tenantOf(res).scope.instances.update(req.params.id, {
      version: body.version,
      config: body.config === undefined ? undefined : configOf(body.config),
    });
    if (updated === "not_found") throw notFound();
    res.json(presentInstance(answer(updated, {}), base(req)));
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.instances.remove(req.params.id))) throw notFound();
    res.status(204).end();
  });

  router.get("/:id/executions", async (req, res) => {
    const scope = tenantOf(res).scope;
    if (!(await scope.instances.find(req.params.id))) throw notFound();
    sendPage(req, res, await scope.flowExecutions.listForInstance(req.params.id, pageRequest(req)), presentFlowExecution);
  });

  return router;
}
