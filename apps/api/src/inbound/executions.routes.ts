import { Router } from "express";
import { presentExecution } from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { guardIdParam } from "../http/id-param.js";

/** `/v1/executions/{id}`: one call of an inbound endpoint, as it was recorded. */
export function executionRoutes(): Router {
  const router = Router();
  guardIdParam(router, "execution", "The execution");

  router.get("/:id", async (req, res) => {
    const execution = await tenantOf(res).scope.executions.find(req.params.id);
    if (!execution) throw AppError.notFound("The execution");
    res.json(presentExecution(execution));
  });

  return router;
}
