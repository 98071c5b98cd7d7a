import { Router } from "express";
import {
  createEnvironmentSchema,
  presentEnvironment,
  presentEnvironmentKeys,
  presentVariable,
  putVariableSchema,
  rotateKeysSchema,
  updateEnvironmentSchema,
  variableNameProblem,
  type CreateEnvironmentBody,
  type PutVariableBody,
  type RotateKeysBody,
  type UpdateEnvironmentBody,
} from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { MAX_VARIABLES_PER_ENVIRONMENT, type EndpointsWouldClash, type Environment } from "@hookline/db";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";
import { checkBrands } from "./brand-check.js";

const parseCreate = validator<CreateEnvironmentBody>(createEnvironmentSchema, "body");
const parseUpdate = validator<UpdateEnvironmentBody>(updateEnvironmentSchema, "body");
const parseRotate = validator<RotateKeysBody>(rotateKeysSchema, "body");
const parseVariable = validator<PutVariableBody>(putVariableSchema, "body");
const notFound = () => AppError.notFound("The environment");

function answer(result: Environment | EndpointsWouldClash): Environment {
  if ("outcome" in result) {
    const [first, second] = result.endpointIds;
    throw AppError.conflict(`The inbound endpoints ${first} and ${second} overlap and would both be served in this environment.`, [
      { field: "brand_ids", message: `would serve ${first} and ${second}, whose paths overlap with the same method` },
    ]);
  }
  return result;
}

function variableName(name: string): string {
  const problem = variableNameProblem(name);
  if (problem) throw AppError.validation([{ field: "name", message: problem }]);
  return name;
}

/** `/v1/environments`: the tenant's environments, their X-MOS-Key pairs and their variables. */
export function environmentRoutes(): Router {
  const router = Router();
  guardIdParam(router, "environment", "The environment");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const scope = tenantOf(res).scope;
    await checkBrands(scope, body.brand_ids);
    const environment = answer(await scope.environments.create({ name: body.name, kind: body.kind, brandIds: body.brand_ids ?? [] }));
    res.status(201).json(presentEnvironment(environment));
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.environments.list(pageRequest(req)), presentEnvironment);
  });

  router.get("/:id", async (req, res) => {
    const environment = await tenantOf(res).scope.environments.find(req.params.id);
    if (!environment) throw notFound();
    res.json(presentEnvironment(environment));
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const scope = tenantOf(res).scope;
    await checkBrands(scope, body.brand_ids);
    const result = await scope.environments.update(req.params.id, { name: body.name, brandIds: body.brand_ids });
    if (result === "not_found") throw notFound();
    res.json(presentEnvironment(answer(result)));
  });

  router.delete("/:id", async (req, res) => {
    const result = await tenantOf(res).scope.environments.delete(req.params.id);
    if (result === "not_found") throw notFound();
    if (result === "last_live") throw AppError.conflict("This is the tenant's last live environment; create another live one first.");
    res.status(204).end();
  });

  router.get("/:id/keys", async (req, res) => {
    const keys = await tenantOf(res).scope.environments.keys(req.params.id);
    if (!keys) throw notFound();
    res.json(presentEnvironmentKeys(keys));
  });

  /** New keys at once; the old ones stop working immediately. */
  router.post("/:id/keys/rotate", async (req, res) => {
    const { key } = parseRotate(bodyOf(req));
    const which =
      key === undefined ? (["secret", "public"] as const) : key === "secret_key" ? (["secret"] as const) : (["public"] as const);
    const keys = await tenantOf(res).scope.environments.rotateKeys(req.params.id, which);
    if (!keys) throw notFound();
    res.json(presentEnvironmentKeys(keys));
  });

  router.get("/:id/variables", async (req, res) => {
    const variables = await tenantOf(res).scope.variables.list(req.params.id);
    if (!variables) throw notFound();
    res.json(variables.map(presentVariable));
  });

  router.put("/:id/variables/:variable", async (req, res) => {
    const name = variableName(req.params.variable);
    const body = parseVariable(bodyOf(req));
    const result = await tenantOf(res).scope.variables.put(req.params.id, name, { value: body.value, secret: body.secret ?? false });
    if (result === "not_found") throw notFound();
    if (result === "too_many") throw AppError.conflict(`An environment holds at most ${MAX_VARIABLES_PER_ENVIRONMENT} variables.`);
    res.status(result.created ? 201 : 200).json(presentVariable(result.variable));
  });

  router.delete("/:id/variables/:variable", async (req, res) => {
    const name = variableName(req.params.variable);
    if (!(await tenantOf(res).scope.variables.delete(req.params.id, name))) throw AppError.notFound(`The variable ${name}`);
    res.status(204).end();
  });

  return router;
}
