import express, { type Express } from "express";
import type { Config } from "@hookline/config";
import type { Logger, Tracing } from "@hookline/core";
import type { Database } from "@hookline/db";
import { createAddressPolicy } from "@hookline/delivery";
import type { DeliveryEngine } from "@hookline/delivery-engine";
import type { Publisher } from "@hookline/publishing";
import type { JobQueues, ListenHub, RedisClient, Scheduler } from "@hookline/queue";
import { securityHeaders } from "./http/security-headers.js";
import { requireAdmin, requireTenant } from "./http/auth.middleware.js";
import { jsonBody } from "./http/body.middleware.js";
import { rateLimitPerTenant, tenantBudget } from "./http/rate-limit.middleware.js";
import { measureRequests, serveMetrics } from "./http/metrics.js";
import { renderErrors, unknownRoute } from "./http/errors.middleware.js";
import { requestLogging } from "./http/request-context.js";
import { recordMounts, type Mount } from "./http/route-table.js";
import { apiKeyRoutes } from "./routes/api-keys.routes.js";
import { deliveryRoutes } from "./routes/deliveries.routes.js";
import { eventTypeRoutes } from "./routes/event-types.routes.js";
import { eventRoutes } from "./routes/events.routes.js";
import { settingsRoutes } from "./routes/settings.routes.js";
import { statsRoutes } from "./routes/stats.routes.js";
import { endpointRoutes } from "./routes/endpoints.routes.js";
import { momentusRoutes } from "./flavours/momentus.routes.js";
import { moniteRoutes } from "./flavours/monite.routes.js";
import { healthRoutes, type Readiness } from "./routes/health.routes.js";
import { openApiRoutes } from "./routes/openapi.routes.js";
import { listenRoutes } from "./routes/listen.routes.js";
import { contractCheck, type ContractViolation } from "./http/contract-check.js";
import { subscriptionRoutes } from "./routes/subscriptions.routes.js";
import { tenantRoutes } from "./routes/tenants.routes.js";
import { targetCheck } from "./services/target-policy.js";
import type { InboundService, IntegrationService } from "@hookline/inbound";
import { customerRoutes } from "./integrations/customers.routes.js";
import { instanceRoutes } from "./integrations/instances.routes.js";
import { integrationRoutes } from "./integrations/integrations.routes.js";
import { triggerCallRoutes } from "./integrations/trigger-calls.routes.js";
import { brandRoutes } from "./inbound/brands.routes.js";
import { environmentRoutes } from "./inbound/environments.routes.js";
import { executionRoutes } from "./inbound/executions.routes.js";
import { inboundCallRoutes } from "./inbound/inbound-calls.routes.js";
import { inboundEndpointRoutes } from "./inbound/inbound-endpoints.routes.js";
import { dashboardPages } from "./ui/pages.routes.js";
import { portalPages } from "./ui/portal-pages.routes.js";
import { WEB_ASSETS_DIR } from "./ui/shell.js";
import { QUEUES_BOARD_PATH, queuesBoard } from "./ui/queues-board.js";
import { sessionRoutes } from "./ui/session.routes.js";
import { portalGate } from "./portal/portal-gate.js";
import { portalSessionRoutes, portalTokenRoutes } from "./portal/portal.routes.js";

export interface ApiDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  /** Hands committed work to the queue (resumes, recoveries, retries). */
  readonly scheduler: Scheduler;
  /** The BullMQ queues themselves, for the admin's queue board. */
  readonly queues: JobQueues;
  /** The one path events take into the engine. */
  readonly publisher: Publisher;
  /** Shared with the queue's producer; also holds the rate limit counters. */
  readonly redis: RedisClient;
  readonly readiness: Readiness;
  /** What the API delivers synchronous webhooks with (no per-endpoint gate). */
  readonly engine: DeliveryEngine;
  /** Inbound endpoints: routing calls, running workflows in the sandbox, recording executions. */
  readonly inbound: InboundService;
  /** Integrations: routing trigger calls to a customer's flow and queueing it; test invocations. */
  readonly integrations: IntegrationService;
  /** Relays `hookline listen` deliveries between workers and the CLIs streaming from this process. */
  readonly listenHub: ListenHub;
  /** Tests: told of every response the OpenAPI document does not describe (see contract-check.ts). */
  readonly onContractViolation?: ((violation: ContractViolation) => void) | undefined;
  /** Tracing, when on: the routes that publish read a caller's `traceparent` header. */
  readonly tracing?: Tracing | undefined;
}

/** Wires the control plane; it holds no state of its own, so tests build one per file. */
export function createApp(deps: ApiDependencies): Express {
  const { config, logger, db, scheduler, queues, publisher, redis, readiness, engine, inbound, integrations, listenHub } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");

  app.use(requestLogging(logger));
  app.use(measureRequests);
  if (deps.onContractViolation) app.use(contractCheck(deps.onContractViolation));
  const budget = tenantBudget(redis, { perSecond: config.api.rateLimitPerSecond, keyPrefix: config.queuePrefix });
  // Calls of inbound endpoints come before the JSON body parser and the security headers: their
  // bodies are any text, and what their callers get is what the tenant's workflow answered.
  app.use("/api/v1/envs/:environmentId/endpoints", inboundCallRoutes({ inbound, budget }));
  app.use("/api/v1/trigger/:token", triggerCallRoutes({ integrations, budget }));
  // The benchmark's ceiling for an inbound call: the same process and middleware, no workflow.
  if (config.api.benchHelloRoute) app.post("/bench/hello", (_req, res) => void res.type("text/plain").end("hello world"));
  // Pages carry a content policy of their own (scripts and styles from this origin).
  const admin = requireAdmin(config.api.adminToken, db);
  app.use(QUEUES_BOARD_PATH, requireAdmin(config.api.adminToken, db, { sameOriginOnly: true }), queuesBoard(queues));
  app.use(dashboardPages(WEB_ASSETS_DIR));
  app.use(portalPages(db, WEB_ASSETS_DIR));
  app.use(securityHeaders());
  app.use(healthRoutes(readiness));
  const openApi = openApiRoutes(config.inbound.publicUrl);
  app.use(openApi.public);
  app.use(jsonBody(config.api.maxBodyBytes));
  app.use(
    "/dashboard/api/session",
    sessionRoutes({
      db,
      adminToken: config.api.adminToken,
      ttlSeconds: config.api.dashboardSessionSeconds,
      publicUrl: config.inbound.publicUrl,
    }),
  );

  const checkTargets = targetCheck(createAddressPolicy(config.delivery.allowPrivateTargets));
  const adminMounts: Mount[] = [{ path: "/v1/tenants", router: tenantRoutes(db) }];
  const tenantMounts: Mount[] = [
    { path: "/v1/api_keys", router: apiKeyRoutes() },
    { path: "/v1/endpoints", router: endpointRoutes({ scheduler, checkTargets, publisher }) },
    { path: "/v1/subscriptions", router: subscriptionRoutes() },
    { path: "/v1/events", router: eventRoutes({ publisher, engine, scheduler, logger, traced: deps.tracing !== undefined }) },
    { path: "/v1/deliveries", router: deliveryRoutes({ scheduler }) },
    { path: "/v1/event_types", router: eventTypeRoutes() },
    { path: "/v1/settings", router: settingsRoutes({ defaultRetentionDays: config.retention.defaultDays }) },
    { path: "/v1/stats", router: statsRoutes() },
    { path: "/v1/environments", router: environmentRoutes() },
    { path: "/v1/brands", router: brandRoutes() },
    { path: "/v1/inbound_endpoints", router: inboundEndpointRoutes({ inbound, publicUrl: config.inbound.publicUrl }) },
    { path: "/v1/executions", router: executionRoutes() },
    { path: "/v1/openapi.json", router: openApi.tenant },
    { path: "/v1/listen", router: listenRoutes({ hub: listenHub, scheduler }) },
    { path: "/v1/customers", router: customerRoutes() },
    { path: "/v1/customers", router: portalTokenRoutes({ publicUrl: config.inbound.publicUrl }) },
    { path: "/v1/portal", router: portalSessionRoutes() },
    { path: "/v1/integrations", router: integrationRoutes({ integrations, publicUrl: config.inbound.publicUrl }) },
    { path: "/v1/instances", router: instanceRoutes({ publicUrl: config.inbound.publicUrl }) },
    // API flavours: adapters over the same endpoints, subscriptions and deliveries.
    { path: "/v1/webhook_settings", router: moniteRoutes({ checkTargets }) },
    { path: "/v1/webhooks", router: momentusRoutes({ scheduler, checkTargets }) },
  ];
  // Prometheus scrapes with the admin token as its bearer credential.
  app.get("/metrics", admin, serveMetrics);
  for (const mount of adminMounts) app.use(mount.path, admin, mount.router);
  const tenant = requireTenant(db);
  const limit = rateLimitPerTenant(budget);
  // A portal token reaches a few routes only, for its customer (see portal-gate.ts).
  const gate = portalGate(db);
  for (const mount of tenantMounts) app.use(mount.path, tenant, gate, limit, mount.router);
  recordMounts(app, [...adminMounts, ...tenantMounts]);

  app.use(unknownRoute);
  app.use(renderErrors);
  return app;
}
