import { Router } from "express";
import {
  createEndpointSchema,
  DEFAULT_ROTATION_GRACE_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  endpointDeliveriesQuerySchema,
  presentDelivery,
  presentEndpoint,
  presentTestEvent,
  recoverEndpointSchema,
  RESERVED_HEADERS,
  rotateSecretSchema,
  testEventSchema,
  updateEndpointSchema,
  type CreateEndpointBody,
  type EndpointDeliveriesQuery,
  type RecoverEndpointBody,
  type RotateSecretBody,
  type TestEventBody,
  type UpdateEndpointBody,
  presentRecovery,
} from "@hookline/api-contract";
import { AppError, isId } from "@hookline/core";
import type { Publisher } from "@hookline/publishing";
import type { Scheduler } from "@hookline/queue";
import { tenantOf } from "../http/auth.middleware.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { validator } from "../http/validation.js";
import { customerOfBody, endpointFilter, refuseCustomer } from "../services/endpoint-customers.js";
import { generateSecret } from "../services/secrets.js";
import type { TargetCheck } from "../services/target-policy.js";
import { releaseHeldInBackground, runRecoveryInBackground } from "../services/background-release.js";

const parseCreate = validator<CreateEndpointBody>(createEndpointSchema, "body");
const parseUpdate = validator<UpdateEndpointBody>(updateEndpointSchema, "body");

function checkReservedHeaders(headers: Record<string, string> | undefined): void {
  if (!headers) return;
  const problems = Object.keys(headers)
    .filter((header) => RESERVED_HEADERS.includes(header.toLowerCase()))
    .map((header) => ({ field: `headers_json.${header}`, message: "is set by Hookline on every delivery and cannot be overridden" }));
  if (problems.length > 0) throw AppError.validation(problems, "The request body is invalid.");
}

const notFound = () => AppError.notFound("The endpoint");

const parseRecover = validator<RecoverEndpointBody>(recoverEndpointSchema, "body");
const parseRotate = validator<RotateSecretBody>(rotateSecretSchema, "body");
const parseDeliveryQuery = validator<EndpointDeliveriesQuery>(endpointDeliveriesQuerySchema, "query");
const parseTest = validator<TestEventBody>(testEventSchema, "body");

export function endpointRoutes(deps: { scheduler: Scheduler; checkTargets: TargetCheck; publisher: Publisher }): Router {
  const router = Router();
  guardIdParam(router, "endpoint", "The endpoint");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    checkReservedHeaders(body.headers_json);
    deps.checkTargets({ url: body.url });
    const created = await tenantOf(res).scope.endpoints.create({
      name: body.name,
      url: body.url,
      secret: body.secret ?? generateSecret(),
      headers: body.headers_json ?? {},
      timeoutSeconds: body.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS,
      customerId: customerOfBody(body.customer_id),
      sendTraceparent: body.send_traceparent,
    });
    res.status(201).json(presentEndpoint(refuseCustomer(created, body.customer_id)));
  });

  router.get("/", async (req, res) => {
    const page = await tenantOf(res).scope.endpoints.list(pageRequest(req), {}, endpointFilter(req));
    sendPage(req, res, page, presentEndpoint);
  });

  router.get("/:id", async (req, res) => {
    const endpoint = await tenantOf(res).scope.endpoints.find(req.params.id);
    if (!endpoint) throw notFound();
    res.json(presentEndpoint(endpoint));
  });

  router.get("/:id/secret", async (req, res) => {
    const endpoint = await tenantOf(res).scope.endpoints.find(req.params.id);
    if (!endpoint) throw notFound();
    res.json({ secret: endpoint.secret });
  });

  /**
   * Issues a new secret (or takes the one given) and keeps the old one signing for the grace
   * period, so receivers can switch over without rejecting a single delivery: meanwhile each
   * delivery carries one `v1,` signature per valid secret.
   */
  router.post("/:id/secret/rotate", async (req, res) => {
    const body = parseRotate(bodyOf(req));
    const secret = body.secret ?? generateSecret();
    const graceSeconds = body.grace_period_seconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
    const rotated = await tenantOf(res).scope.endpoints.rotateSecret(req.params.id, secret, graceSeconds * 1000);
    if (!rotated) throw notFound();
    res.json({ secret, previous_secret_expires_at: rotated.previousExpiresAt?.toISOString() ?? null });
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    checkReservedHeaders(body.headers_json);
    deps.checkTargets({ url: body.url });
    const result = await tenantOf(res).scope.endpoints.update(req.params.id, {
      name: body.name,
      url: body.url,
      secret: body.secret,
      headers: body.headers_json,
      timeoutSeconds: body.timeout_seconds,
      status: body.status,
      customerId: customerOfBody(body.customer_id),
      sendTraceparent: body.send_traceparent,
    });
    const updated = refuseCustomer(result, body.customer_id);
    if (typeof updated === "string") throw notFound();
    // The held deliveries go out in publish order after the answer, however many there are.
    if (updated.resumed) releaseHeldInBackground(tenantOf(res).scope, req.params.id, deps.scheduler, req.log);
    res.json(presentEndpoint(updated.endpoint));
  });

  /**
   * Re-sends every failed delivery since `since`, once the receiver is fixed: 202 at once with the
   * recovery, which makes them due in the background (see recoveries.ts in @hookline/db).
   */
  router.post("/:id/recover", async (req, res) => {
    const body = parseRecover(bodyOf(req));
    const scope = tenantOf(res).scope;
    const recovery = await scope.deliveries.startRecovery(req.params.id, new Date(body.since));
    if (!recovery) throw notFound();
    runRecoveryInBackground(scope, recovery, deps.scheduler, req.log);
    res.status(202).location(`/v1/endpoints/${recovery.endpointId}/recoveries/${recovery.id}`).json(presentRecovery(recovery));
  });

  router.param("recovery_id", (_req, _res, next, id: string) => {
    if (!isId("recovery", id)) throw AppError.notFound("The recovery");
    next();
  });
  router.get("/:id/recoveries/:recovery_id", async (req, res) => {
    const recovery = await tenantOf(res).scope.deliveries.recovery(req.params.id, req.params.recovery_id);
    if (!recovery) throw AppError.notFound("The recovery");
    res.json(presentRecovery(recovery));
  });

  /**
   * A test event to this endpoint alone, through the one publish path (see the publisher's
   * publishTest): 202 once it is written and queued, or held while the endpoint is paused.
   */
  router.post("/:id/test", async (req, res) => {
    const body = parseTest(bodyOf(req));
    const scope = tenantOf(res).scope;
    const endpoint = await scope.endpoints.find(req.params.id);
    if (!endpoint) throw notFound();
    const sent = await deps.publisher.publishTest(scope, endpoint, { eventType: body.event_type, data: body.data });
    if (sent.deprecated) res.setHeader("Deprecation", "true");
    res.status(202).json(presentTestEvent(sent));
  });

  router.get("/:id/deliveries", async (req, res) => {
    const { status } = parseDeliveryQuery(req.query);
    const scope = tenantOf(res).scope;
    if (!(await scope.endpoints.find(req.params.id))) throw notFound();
    const page = await scope.deliveries.listForEndpoint(req.params.id, pageRequest(req), status);
    sendPage(req, res, page, presentDelivery);
  });

  router.delete("/:id", async (req, res) => {
    if (!(await tenantOf(res).scope.endpoints.delete(req.params.id))) throw notFound();
    res.status(204).end();
  });

  return router;
}
