/**
 * The HTTP contract of Hookline, in one place: every request schema (JSON Schema, as the API
 * validates it), the types of request bodies and responses, the presenters that turn stored
 * records into responses, and the limits and defaults clients see. The API imports it; an
 * OpenAPI document, an SDK and a CLI can be built on it without reaching into the API.
 */
export * from "./deliveries.js";
export * from "./endpoints.js";
export * from "./errors.js";
export * from "./event-types.js";
export * from "./events.js";
export * from "./formats.js";
export * from "./lists.js";
export * from "./settings.js";
export * from "./stats.js";
export * from "./subscriptions.js";
export * from "./tenants.js";
export * from "./timestamps.js";
export * from "./flavours/monite.js";
export * from "./flavours/momentus.js";
export * from "./inbound/brands.js";
export * from "./inbound/environments.js";
export * from "./inbound/executions.js";
export * from "./inbound/inbound-endpoints.js";
export * from "./inbound/workflows.js";
export * from "./integrations/customers.js";
export * from "./integrations/flow-executions.js";
export * from "./integrations/instances.js";
export * from "./integrations/integrations.js";
export * from "./responses.js";
export * from "./openapi/document.js";
export * from "./openapi/operations.js";
export { RESPONSE_SCHEMAS } from "./openapi/response-schemas.js";
export { REQUEST_EXAMPLES } from "./openapi/examples.js";
export * from "./listen.js";
export * from "./dashboard.js";
export * from "./portal.js";
export * from "./recoveries.js";
