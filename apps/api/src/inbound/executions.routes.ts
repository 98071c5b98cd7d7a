import { Router } from "express";
import { presentExecution, presentFlowExecution } from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { guardIdParam } from "../http/id-param.js";

/** `/v1/executions/{id}`: one call of an inbound endpoint or of an integration's trigger, as it was recorded. */
export function executionRoutes(): Router {
  const router = Router();
  guardIdParam(router, "execution", "The execution");

  router.get("/:id", async (req, res) => {
    const scope = tenantOf(res).scope;
    const execution = await scope.executions.find(req.params.id);
    if (execution) {
      res.json({ kind: "inbound", ...presentExecution(execution) });
      return;
    }
    const flowExecution = await scope.flowExecutions.find(req.params.id);
    if (!flowExecution) throw AppError.notFound("The execution");
    res.json(presentFlowExecution(flowExecution));
  });

  return router;
}
