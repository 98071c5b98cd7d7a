import type { Request, Router } from "express";
import {
  presentWorkflow,
  presentWorkflowVersion,
  previewWorkflowSchema,
  publishWorkflowSchema,
  saveWorkflowSchema,
  type PreviewWorkflowBody,
  type PublishWorkflowBody,
  type SaveWorkflowBody,
} from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import type { InboundService } from "@hookline/inbound";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";

const parseSave = validator<SaveWorkflowBody>(saveWorkflowSchema, "body");
const parsePublish = validator<PublishWorkflowBody>(publishWorkflowSchema, "body");
const parsePreview = validator<PreviewWorkflowBody>(previewWorkflowSchema, "body");
const notFound = () => AppError.notFound("The inbound endpoint");

export interface WorkflowRouteDeps {
  readonly inbound: InboundService;
}

/** The endpoint id of `/v1/inbound_endpoints/:id/workflow…` (the router's guard answered 404 for one that cannot be an id). */
const endpointId = (req: Request): string => (req.params as { id: string }).id;

/** Compiles TypeScript at save time: a version that does not compile is a 400 and is not saved. */
async function compile(inbound: InboundService, source: string): Promise<string> {
  const compiled = await inbound.compile(source);
  if (compiled.ok) return compiled.js;
  throw AppError.validation(
    compiled.problems.map((problem) => ({ field: "code", message: `line ${problem.line}, column ${problem.column}: ${problem.message}` })),
    "The workflow does not compile.",
  );
}

/**
 * `/v1/inbound_endpoints/{id}/workflow`: save versions, publish one, enable or disable, preview.
 * Added to the endpoints' router itself (not mounted beneath it), so that its `:id` guard applies
 * and every route is in the route table.
 */
export function addWorkflowRoutes(router: Router, deps: WorkflowRouteDeps): void {
  router.get("/:id/workflow", async (req, res) => {
    const state = await tenantOf(res).scope.workflows.state(endpointId(req));
    if (!state) throw notFound();
    res.json(presentWorkflow(state));
  });

  /** Saves a new version when `code` is given; `enabled` and `publish` apply in the same step. */
  router.put("/:id/workflow", async (req, res) => {
    const id = endpointId(req);
    const body = parseSave(bodyOf(req));
    const scope = tenantOf(res).scope;
    if (!(await scope.inboundEndpoints.find(id))) throw notFound();
    const code = body.code === undefined ? undefined : { source: body.code, compiled: await compile(deps.inbound, body.code) };
    const state = await scope.workflows.change(id, { code, enabled: body.enabled, publish: body.publish });
    if (state === "not_found") throw notFound();
    if (state === "nothing_to_publish") throw AppError.conflict("There is no saved version to publish: save code first.");
    res.json(presentWorkflow(state));
  });

  router.get("/:id/workflow/versions", async (req, res) => {
    const page = await tenantOf(res).scope.workflows.versions(endpointId(req), pageRequest(req));
    if (!page) throw notFound();
    sendPage(req, res, page, presentWorkflowVersion);
  });

  router.get("/:id/workflow/versions/:version", async (req, res) => {
    const id = endpointId(req);
    const number = /^[1-9][0-9]{0,8}$/.test(req.params.version ?? "") ? Number(req.params.version) : undefined;
    const version = number === undefined ? null : await tenantOf(res).scope.workflows.version(id, number);
    if (!version) throw AppError.notFound("The workflow version");
    res.json(presentWorkflowVersion(version));
  });

  /** Live environments run the published version; this picks it (the latest when none is named). */
  router.post("/:id/workflow/publish", async (req, res) => {
    const body = parsePublish(bodyOf(req));
    const state = await tenantOf(res).scope.workflows.publish(endpointId(req), body.version);
    if (state === "not_found") throw notFound();
    if (state === "no_such_version")
      throw AppError.notFound(body.version === undefined ? "A saved version" : `The version ${body.version}`);
    res.json(presentWorkflow(state));
  });

  /** Runs the draft (or the code given) on a sample request, in a preview environment: nothing is recorded or published. */
  router.post("/:id/workflow/preview", async (req, res) => {
    const id = endpointId(req);
    const body = parsePreview(bodyOf(req));
    const scope = tenantOf(res).scope;
    const endpoint = await scope.inboundEndpoints.find(id);
    if (!endpoint) throw notFound();
    const js = body.code === undefined ? undefined : await compile(deps.inbound, body.code);
    const result = await deps.inbound.preview(
      scope,
      endpoint,
      { environmentId: body.environment_id, js, request: body.request ?? {} },
      req.log,
    );
    res.json(result);
  });
}
