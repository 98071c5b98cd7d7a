import type { Schema } from "ajv";
import { createApiKeySchema, createTenantSchema } from "../tenants.js";
import {
  createEndpointSchema,
  endpointDeliveriesQuerySchema,
  endpointListQuerySchema,
  recoverEndpointSchema,
  rotateSecretSchema,
  testEventSchema,
  updateEndpointSchema,
} from "../endpoints.js";
import { createSubscriptionSchema, subscriptionListQuerySchema, updateSubscriptionSchema } from "../subscriptions.js";
import { eventListQuerySchema, publishBatchSchema, publishEventSchema } from "../events.js";
import { deliveryListQuerySchema } from "../deliveries.js";
import { statsQuerySchema } from "../stats.js";
import { createEventTypeSchema, updateEventTypeSchema } from "../event-types.js";
import { updateSettingsSchema } from "../settings.js";
import { listQuerySchema } from "../lists.js";
import { createWebhookSettingSchema, updateWebhookSettingSchema } from "../flavours/monite.js";
import { createMomentusWebhookSchema, updateMomentusWebhookSchema } from "../flavours/momentus.js";
import { createEnvironmentSchema, putVariableSchema, rotateKeysSchema, updateEnvironmentSchema } from "../inbound/environments.js";
import { createBrandSchema, updateBrandSchema } from "../inbound/brands.js";
import { createInboundEndpointSchema, updateInboundEndpointSchema } from "../inbound/inbound-endpoints.js";
import { previewWorkflowSchema, publishWorkflowSchema, saveWorkflowSchema } from "../inbound/workflows.js";
import { executionsQuerySchema } from "../inbound/executions.js";
import { createCustomerSchema, updateCustomerSchema } from "../integrations/customers.js";
import { createPortalTokenSchema } from "../portal.js";
import { createIntegrationSchema, testInvocationSchema, updateIntegrationSchema } from "../integrations/integrations.js";
import { deployInstanceSchema, updateInstanceSchema } from "../integrations/instances.js";
import { createListenSchema, listenResultSchema } from "../listen.js";

/**
 * Every operation of the API, described once: what it takes (the request schemas the API
 * validates with) and what it answers (the response types, by component name). The OpenAPI
 * document is built from this list; a test checks that it names every route the API mounts, and
 * the API's tests check every response they see against it.
 */
export type Security = "tenant" | "admin" | "none";

/** A response: a component name (or names joined by ` | `), a list of one (`[name]`), a stream of server-sent events, or nothing. */
export type Body = string | readonly [string] | { readonly eventStream: string } | null;

export interface Operation {
  readonly method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI style: `/v1/endpoints/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly security: Security;
  readonly query?: Schema;
  readonly body?: Schema;
  /** Successful statuses and what each carries. */
  readonly responses: Readonly<Record<number, Body>>;
  /** Error statuses (the error format) this operation answers besides those every operation may. */
  readonly errors?: readonly number[];
}

interface Options {
  readonly query?: Schema;
  readonly body?: Schema;
  readonly security?: Security;
  readonly errors?: readonly number[];
}

function op(
  method: Operation["method"],
  path: string,
  operationId: string,
  tag: string,
  summary: string,
  responses: Operation["responses"],
  options: Options = {},
): Operation {
  return { method, path, operationId, summary, tag, security: options.security ?? "tenant", responses, ...options };
}

const list = (name: string) => [name] as const;
const paged = listQuerySchema;
const withList = (schema: Schema): Schema => {
  const s = schema as { properties?: Record<string, unknown> };
  return { ...(schema as object), properties: { ...(listQuerySchema as { properties: object }).properties, ...s.properties } } as Schema;
};

export const OPERATIONS: readonly Operation[] = [
  op("get", "/healthz", "health", "Health", "Whether the API is up", { 200: "HealthResponse" }, { security: "none" }),
  op(
    "get",
    "/readyz",
    "readiness",
    "Health",
    "Whether the API, Postgres and Redis answer (503 naming the one that does not)",
    { 200: "ReadinessResponse", 503: "ReadinessResponse" },
    { security: "none" },
  ),

  op("get", "/openapi.json", "getOpenApi", "Reference", "This document", { 200: "OpenApiDocument" }, { security: "none" }),
  op("get", "/v1/openapi.json", "getTenantOpenApi", "Reference", "This document, with the tenant's event types under webhooks", {
    200: "OpenApiDocument",
  }),

  op(
    "post",
    "/v1/tenants",
    "createTenant",
    "Tenants",
    "Create a tenant and its first API key (admin)",
    { 201: "CreatedTenantResponse" },
    { security: "admin", body: createTenantSchema },
  ),
  op(
    "get",
    "/v1/tenants",
    "listTenants",
    "Tenants",
    "List tenants, oldest first (admin)",
    { 200: list("TenantResponse") },
    {
      security: "admin",
      query: paged,
    },
  ),

  op(
    "post",
    "/v1/api_keys",
    "createApiKey",
    "API keys",
    "Create an API key (shown once)",
    { 201: "CreatedApiKeyResponse" },
    { body: createApiKeySchema },
  ),
  op("get", "/v1/api_keys", "listApiKeys", "API keys", "List API keys", { 200: list("ApiKeyResponse") }, { query: paged }),
  op("delete", "/v1/api_keys/{id}", "revokeApiKey", "API keys", "Revoke an API key", { 204: null }),

  op(
    "post",
    "/v1/endpoints",
    "createEndpoint",
    "Endpoints",
    "Create an endpoint",
    { 201: "EndpointResponse" },
    { body: createEndpointSchema },
  ),
  op(
    "get",
    "/v1/endpoints",
    "listEndpoints",
    "Endpoints",
    "List endpoints (of one customer with customer_id)",
    { 200: list("EndpointResponse") },
    { query: withList(endpointListQuerySchema) },
  ),
  op("get", "/v1/endpoints/{id}", "getEndpoint", "Endpoints", "Get an endpoint", { 200: "EndpointResponse" }),
  op("get", "/v1/endpoints/{id}/secret", "getEndpointSecret", "Endpoints", "Get an endpoint's signing secret", { 200: "SecretResponse" }),
  op(
    "post",
    "/v1/endpoints/{id}/secret/rotate",
    "rotateEndpointSecret",
    "Endpoints",
    "Rotate the signing secret, the old one signing for a grace period",
    { 200: "RotatedSecretResponse" },
    { body: rotateSecretSchema },
  ),
  op(
    "patch",
    "/v1/endpoints/{id}",
    "updateEndpoint",
    "Endpoints",
    "Update an endpoint; status PAUSED holds its deliveries, ACTIVE releases them in order",
    { 200: "EndpointResponse" },
    { body: updateEndpointSchema, errors: [409] },
  ),
  op(
    "post",
    "/v1/endpoints/{id}/recover",
    "recoverEndpoint",
    "Endpoints",
    "Send again every failed delivery since a time: answers at once, the recovery goes on in the background",
    { 202: "RecoveryResponse" },
    { body: recoverEndpointSchema },
  ),
  op(
    "get",
    "/v1/endpoints/{id}/recoveries/{recovery_id}",
    "getRecovery",
    "Endpoints",
    "A recovery's progress: how many failed deliveries it has sent again, and whether it is done",
    { 200: "RecoveryResponse" },
  ),
  op(
    "post",
    "/v1/endpoints/{id}/test",
    "sendTestEvent",
    "Endpoints",
    "Send a test event to this endpoint alone, whatever it subscribes to (held while it is paused)",
    { 202: "TestEventResponse" },
    { body: testEventSchema, errors: [409, 422] },
  ),
  op(
    "get",
    "/v1/endpoints/{id}/deliveries",
    "listEndpointDeliveries",
    "Endpoints",
    "List an endpoint's deliveries",
    { 200: list("DeliveryResponse") },
    { query: withList(endpointDeliveriesQuerySchema) },
  ),
  op("delete", "/v1/endpoints/{id}", "deleteEndpoint", "Endpoints", "Delete an endpoint with its deliveries", { 204: null }),

  op(
    "post",
    "/v1/subscriptions",
    "createSubscription",
    "Subscriptions",
    "Subscribe an endpoint to event types",
    { 201: "SubscriptionResponse" },
    { body: createSubscriptionSchema, errors: [422] },
  ),
  op(
    "get",
    "/v1/subscriptions",
    "listSubscriptions",
    "Subscriptions",
    "List subscriptions",
    { 200: list("SubscriptionResponse") },
    { query: withList(subscriptionListQuerySchema) },
  ),
  op("get", "/v1/subscriptions/{id}", "getSubscription", "Subscriptions", "Get a subscription", { 200: "SubscriptionResponse" }),
  op(
    "patch",
    "/v1/subscriptions/{id}",
    "updateSubscription",
    "Subscriptions",
    "Update a subscription",
    { 200: "SubscriptionResponse" },
    { body: updateSubscriptionSchema, errors: [422] },
  ),
  op("delete", "/v1/subscriptions/{id}", "deleteSubscription", "Subscriptions", "Delete a subscription", { 204: null }),

  op(
    "post",
    "/v1/events",
    "publishEvent",
    "Events",
    "Publish an event to every subscribed endpoint (of its customer, if it names one)",
    { 202: "PublishedEventResponse" },
    { body: publishEventSchema, errors: [422] },
  ),
  op(
    "post",
    "/v1/events/batch",
    "publishEvents",
    "Events",
    "Publish up to 500 events in one transaction",
    { 202: list("BatchPublishedEventResponse") },
    { body: publishBatchSchema, errors: [422] },
  ),
  op(
    "get",
    "/v1/events",
    "listEvents",
    "Events",
    "List events, newest first, with their data (deliveries: GET /v1/events/{id})",
    { 200: list("EventSummaryResponse") },
    { query: withList(eventListQuerySchema) },
  ),
  op("get", "/v1/events/{id}", "getEvent", "Events", "Get an event with its deliveries", { 200: "EventResponse" }),

  op(
    "get",
    "/v1/deliveries",
    "listDeliveries",
    "Deliveries",
    "List deliveries across endpoints, newest first",
    { 200: list("DeliveryResponse") },
    { query: withList(deliveryListQuerySchema) },
  ),

  op("get", "/v1/deliveries/{id}", "getDelivery", "Deliveries", "Get a delivery with its attempts", {
    200: "DeliveryWithAttemptsResponse",
  }),
  op(
    "post",
    "/v1/deliveries/{id}/retry",
    "retryDelivery",
    "Deliveries",
    "Send a failed delivery again",
    { 202: "DeliveryResponse" },
    { errors: [409] },
  ),

  op(
    "post",
    "/v1/event_types",
    "createEventType",
    "Event types",
    "Register an event type, optionally with a JSON Schema",
    { 201: "EventTypeResponse" },
    { body: createEventTypeSchema, errors: [409, 422] },
  ),
  op("get", "/v1/event_types", "listEventTypes", "Event types", "List event types", { 200: list("EventTypeResponse") }, { query: paged }),
  op("get", "/v1/event_types/{name}", "getEventType", "Event types", "Get an event type", { 200: "EventTypeResponse" }),
  op(
    "patch",
    "/v1/event_types/{name}",
    "updateEventType",
    "Event types",
    "Update an event type",
    { 200: "EventTypeResponse" },
    { body: updateEventTypeSchema, errors: [422] },
  ),
  op("delete", "/v1/event_types/{name}", "deleteEventType", "Event types", "Delete an event type", { 204: null }, { errors: [409] }),

  op(
    "get",
    "/v1/stats",
    "getStats",
    "Stats",
    "Attempts per minute over a window, the success rate, endpoints by status and the failing ones",
    { 200: "StatsResponse" },
    { query: statsQuerySchema },
  ),

  op("get", "/v1/settings", "getSettings", "Settings", "Get the tenant's settings", { 200: "SettingsResponse" }),
  op(
    "patch",
    "/v1/settings",
    "updateSettings",
    "Settings",
    "Update the tenant's settings",
    { 200: "SettingsResponse" },
    { body: updateSettingsSchema },
  ),

  op(
    "post",
    "/v1/webhook_settings",
    "createWebhookSetting",
    "Webhook settings (Monite)",
    "Create a webhook setting",
    { 201: "CreatedWebhookSettingResponse" },
    { body: createWebhookSettingSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/webhook_settings",
    "listWebhookSettings",
    "Webhook settings (Monite)",
    "List webhook settings",
    { 200: list("WebhookSettingResponse") },
    { query: withList(endpointListQuerySchema) },
  ),
  op("get", "/v1/webhook_settings/{id}", "getWebhookSetting", "Webhook settings (Monite)", "Get a webhook setting", {
    200: "WebhookSettingResponse",
  }),
  op("get", "/v1/webhook_settings/{id}/secret", "getWebhookSettingSecret", "Webhook settings (Monite)", "Get a webhook setting's secret", {
    200: "SecretResponse",
  }),
  op(
    "patch",
    "/v1/webhook_settings/{id}",
    "updateWebhookSetting",
    "Webhook settings (Monite)",
    "Update a webhook setting",
    { 200: "WebhookSettingResponse" },
    { body: updateWebhookSettingSchema, errors: [409] },
  ),
  op("delete", "/v1/webhook_settings/{id}", "deleteWebhookSetting", "Webhook settings (Monite)", "Delete a webhook setting", { 204: null }),

  op(
    "post",
    "/v1/webhooks",
    "createWebhook",
    "Webhooks (Momentus)",
    "Create a webhook",
    { 201: "MomentusWebhookResponse" },
    { body: createMomentusWebhookSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/webhooks",
    "listWebhooks",
    "Webhooks (Momentus)",
    "List webhooks",
    { 200: list("MomentusWebhookResponse") },
    { query: withList(endpointListQuerySchema) },
  ),
  op("get", "/v1/webhooks/{id}", "getWebhook", "Webhooks (Momentus)", "Get a webhook", { 200: "MomentusWebhookResponse" }),
  op("get", "/v1/webhooks/{id}/secret", "getWebhookSecret", "Webhooks (Momentus)", "Get a webhook's secret key", {
    200: "MomentusSecretResponse",
  }),
  op(
    "patch",
    "/v1/webhooks/{id}",
    "updateWebhook",
    "Webhooks (Momentus)",
    "Update a webhook",
    { 200: "MomentusWebhookResponse" },
    { body: updateMomentusWebhookSchema, errors: [409] },
  ),
  op("delete", "/v1/webhooks/{id}", "deleteWebhook", "Webhooks (Momentus)", "Delete a webhook", { 204: null }),

  op(
    "post",
    "/v1/environments",
    "createEnvironment",
    "Environments",
    "Create an environment",
    { 201: "EnvironmentResponse" },
    { body: createEnvironmentSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/environments",
    "listEnvironments",
    "Environments",
    "List environments",
    { 200: list("EnvironmentResponse") },
    { query: paged },
  ),
  op("get", "/v1/environments/{id}", "getEnvironment", "Environments", "Get an environment", { 200: "EnvironmentResponse" }),
  op(
    "patch",
    "/v1/environments/{id}",
    "updateEnvironment",
    "Environments",
    "Update an environment",
    { 200: "EnvironmentResponse" },
    { body: updateEnvironmentSchema, errors: [409] },
  ),
  op(
    "delete",
    "/v1/environments/{id}",
    "deleteEnvironment",
    "Environments",
    "Delete an environment (not the last live one)",
    { 204: null },
    { errors: [409] },
  ),
  op("get", "/v1/environments/{id}/keys", "getEnvironmentKeys", "Environments", "Get the X-MOS-Key pair", {
    200: "EnvironmentKeysResponse",
  }),
  op(
    "post",
    "/v1/environments/{id}/keys/rotate",
    "rotateEnvironmentKeys",
    "Environments",
    "Replace one or both keys",
    { 200: "EnvironmentKeysResponse" },
    { body: rotateKeysSchema },
  ),
  op("get", "/v1/environments/{id}/variables", "listVariables", "Environments", "List an environment's variables", {
    200: list("VariableResponse"),
  }),
  op(
    "put",
    "/v1/environments/{id}/variables/{variable}",
    "putVariable",
    "Environments",
    "Create or replace a variable",
    { 200: "VariableResponse", 201: "VariableResponse" },
    { body: putVariableSchema, errors: [409] },
  ),
  op("delete", "/v1/environments/{id}/variables/{variable}", "deleteVariable", "Environments", "Delete a variable", { 204: null }),

  op("post", "/v1/brands", "createBrand", "Brands", "Create a brand", { 201: "BrandResponse" }, { body: createBrandSchema }),
  op("get", "/v1/brands", "listBrands", "Brands", "List brands", { 200: list("BrandResponse") }, { query: paged }),
  op("get", "/v1/brands/{id}", "getBrand", "Brands", "Get a brand", { 200: "BrandResponse" }),
  op("patch", "/v1/brands/{id}", "updateBrand", "Brands", "Update a brand", { 200: "BrandResponse" }, { body: updateBrandSchema }),
  op("delete", "/v1/brands/{id}", "deleteBrand", "Brands", "Delete a brand no endpoint links to", { 204: null }, { errors: [409] }),

  op(
    "post",
    "/v1/inbound_endpoints",
    "createInboundEndpoint",
    "Inbound endpoints",
    "Create an inbound endpoint",
    { 201: "InboundEndpointResponse" },
    { body: createInboundEndpointSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/inbound_endpoints",
    "listInboundEndpoints",
    "Inbound endpoints",
    "List inbound endpoints",
    { 200: list("InboundEndpointResponse") },
    { query: paged },
  ),
  op("get", "/v1/inbound_endpoints/{id}", "getInboundEndpoint", "Inbound endpoints", "Get an inbound endpoint", {
    200: "InboundEndpointResponse",
  }),
  op(
    "patch",
    "/v1/inbound_endpoints/{id}",
    "updateInboundEndpoint",
    "Inbound endpoints",
    "Update an inbound endpoint",
    { 200: "InboundEndpointResponse" },
    { body: updateInboundEndpointSchema, errors: [409] },
  ),
  op(
    "delete",
    "/v1/inbound_endpoints/{id}",
    "deleteInboundEndpoint",
    "Inbound endpoints",
    "Delete an inbound endpoint with its versions and executions",
    { 204: null },
  ),
  op(
    "get",
    "/v1/inbound_endpoints/{id}/executions",
    "listInboundExecutions",
    "Inbound endpoints",
    "List an inbound endpoint's executions, newest first",
    { 200: list("ExecutionResponse") },
    { query: withList(executionsQuerySchema) },
  ),
  op("get", "/v1/inbound_endpoints/{id}/workflow", "getWorkflow", "Inbound endpoints", "Get the workflow's state and latest code", {
    200: "WorkflowResponse",
  }),
  op(
    "put",
    "/v1/inbound_endpoints/{id}/workflow",
    "saveWorkflow",
    "Inbound endpoints",
    "Save a new version, enable or disable, publish",
    { 200: "WorkflowResponse" },
    { body: saveWorkflowSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/inbound_endpoints/{id}/workflow/versions",
    "listWorkflowVersions",
    "Inbound endpoints",
    "List the workflow's versions",
    { 200: list("WorkflowVersionResponse") },
    { query: paged },
  ),
  op(
    "get",
    "/v1/inbound_endpoints/{id}/workflow/versions/{version}",
    "getWorkflowVersion",
    "Inbound endpoints",
    "Get one version with its code",
    { 200: "WorkflowVersionResponse" },
  ),
  op(
    "post",
    "/v1/inbound_endpoints/{id}/workflow/publish",
    "publishWorkflow",
    "Inbound endpoints",
    "Publish a version to live environments",
    { 200: "WorkflowResponse" },
    { body: publishWorkflowSchema },
  ),
  op(
    "post",
    "/v1/inbound_endpoints/{id}/workflow/preview",
    "previewWorkflow",
    "Inbound endpoints",
    "Run the draft on a sample request",
    { 200: "PreviewResponse" },
    { body: previewWorkflowSchema, errors: [409] },
  ),
  op("get", "/v1/executions/{id}", "getExecution", "Executions", "Get an execution (of an inbound endpoint or of a trigger)", {
    200: "InboundExecutionResponse | FlowExecutionResponse",
  }),

  op(
    "post",
    "/v1/customers",
    "createCustomer",
    "Customers",
    "Create a customer",
    { 201: "CustomerResponse" },
    { body: createCustomerSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/customers",
    "listCustomers",
    "Customers",
    "List customers (the test customer among them)",
    { 200: list("CustomerResponse") },
    { query: paged },
  ),
  op("get", "/v1/customers/{id}", "getCustomer", "Customers", "Get a customer", { 200: "CustomerResponse" }),
  op(
    "patch",
    "/v1/customers/{id}",
    "updateCustomer",
    "Customers",
    "Update a customer",
    { 200: "CustomerResponse" },
    { body: updateCustomerSchema, errors: [409] },
  ),
  op(
    "delete",
    "/v1/customers/{id}",
    "deleteCustomer",
    "Customers",
    "Delete a customer with its instances",
    { 204: null },
    { errors: [409] },
  ),
  op(
    "post",
    "/v1/customers/{id}/portal",
    "createPortalToken",
    "Customer portal",
    "A portal link for one customer: its endpoints, subscriptions and deliveries, as the capabilities allow",
    { 201: "PortalTokenResponse" },
    { body: createPortalTokenSchema },
  ),
  op("post", "/v1/customers/{id}/portal/revoke", "revokePortalTokens", "Customer portal", "End every live portal link of the customer", {
    200: "RevokedPortalTokensResponse",
  }),
  op(
    "get",
    "/v1/portal",
    "getPortalSession",
    "Customer portal",
    "With a portal token: the customer, its capabilities and the portal's branding",
    { 200: "PortalSessionResponse" },
  ),

  op(
    "post",
    "/v1/integrations",
    "createIntegration",
    "Integrations",
    "Create an integration (its draft)",
    { 201: "IntegrationResponse" },
    { body: createIntegrationSchema },
  ),
  op(
    "get",
    "/v1/integrations",
    "listIntegrations",
    "Integrations",
    "List integrations",
    { 200: list("IntegrationResponse") },
    { query: paged },
  ),
  op("get", "/v1/integrations/{id}", "getIntegration", "Integrations", "Get an integration", { 200: "IntegrationResponse" }),
  op(
    "patch",
    "/v1/integrations/{id}",
    "updateIntegration",
    "Integrations",
    "Edit the draft",
    { 200: "IntegrationResponse" },
    { body: updateIntegrationSchema },
  ),
  op(
    "delete",
    "/v1/integrations/{id}",
    "deleteIntegration",
    "Integrations",
    "Delete an integration with its versions, instances and executions",
    { 204: null },
  ),
  op("post", "/v1/integrations/{id}/versions", "publishIntegration", "Integrations", "Publish the draft as the next version", {
    201: "PublishedVersionResponse",
  }),
  op(
    "get",
    "/v1/integrations/{id}/executions",
    "listIntegrationExecutions",
    "Integrations",
    "List the integration's executions, newest first",
    { 200: list("FlowExecutionResponse") },
    {
      query: withList({ type: "object", properties: { unrouted: { type: "string", enum: ["true", "false"] } } }),
    },
  ),
  op(
    "post",
    "/v1/integrations/{id}/test",
    "testIntegration",
    "Integrations",
    "Run the draft on a sample call as the test customer",
    { 200: "FlowExecutionResponse" },
    { body: testInvocationSchema },
  ),

  op(
    "post",
    "/v1/instances",
    "deployInstance",
    "Instances",
    "Deploy a version to a customer",
    { 201: "InstanceResponse" },
    { body: deployInstanceSchema, errors: [409] },
  ),
  op(
    "get",
    "/v1/instances",
    "listInstances",
    "Instances",
    "List instances",
    { 200: list("InstanceResponse") },
    {
      query: withList({ type: "object", properties: { integration_id: { type: "string" }, customer_id: { type: "string" } } }),
    },
  ),
  op("get", "/v1/instances/{id}", "getInstance", "Instances", "Get an instance", { 200: "InstanceResponse" }),
  op(
    "patch",
    "/v1/instances/{id}",
    "updateInstance",
    "Instances",
    "Upgrade to another version, or replace the config",
    { 200: "InstanceResponse" },
    { body: updateInstanceSchema },
  ),
  op("delete", "/v1/instances/{id}", "removeInstance", "Instances", "Remove an instance", { 204: null }),
  op(
    "get",
    "/v1/instances/{id}/executions",
    "listInstanceExecutions",
    "Instances",
    "List the instance's executions, newest first",
    { 200: list("FlowExecutionResponse") },
    { query: paged },
  ),

  op(
    "post",
    "/v1/listen",
    "createListenSession",
    "Listen",
    "Create a temporary endpoint whose deliveries stream to `hookline listen`",
    { 201: "ListenSessionResponse" },
    { body: createListenSchema, errors: [422] },
  ),
  op("get", "/v1/listen/{id}", "getListenSession", "Listen", "Get a listen session", { 200: "ListenSessionResponse" }),
  op("delete", "/v1/listen/{id}", "deleteListenSession", "Listen", "End a listen session: its endpoint goes", { 204: null }),
  op(
    "get",
    "/v1/listen/{id}/stream",
    "streamListenSession",
    "Listen",
    "Receive the session's deliveries as server-sent events (`ready`, then `delivery` with the signed request)",
    {
      200: { eventStream: "ListenRequestEvent" },
    },
  ),
  op(
    "post",
    "/v1/listen/{id}/results",
    "reportListenResult",
    "Listen",
    "Report what the local URL answered to one delivery",
    { 202: null },
    { body: listenResultSchema },
  ),
];
