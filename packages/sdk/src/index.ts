/**
 * @hookline/sdk: a client for the Hookline API (fetch and WebCrypto only, for Node 20+ and
 * browsers), and `Webhook` to verify deliveries on the receiving side.
 */
export { Hookline, DEFAULT_TIMEOUT_MS, type HooklineOptions } from "./client.js";
export type { RawClient, RequestOptions } from "./context.js";
export { HooklineError, type ClientErrorCode, type HooklineErrorCode, type HooklineErrorInit } from "./errors.js";
export { PageIterator, type Page, type PageParams } from "./pagination.js";
export { DEFAULT_MAX_RETRIES, MAX_RETRY_AFTER_MS } from "./retry.js";
export type { FetchFn } from "./transport.js";
export type { Customers } from "./resources/customers.js";
export type { Deliveries, ListAllDeliveriesParams, ListDeliveriesParams } from "./resources/deliveries.js";
export type { Endpoints, ListEndpointsParams } from "./resources/endpoints.js";
export type { Events, ListEventsParams, PublishOptions } from "./resources/events.js";
export type { EventTypes } from "./resources/event-types.js";
export type { Inbound, ListExecutionsParams } from "./resources/inbound.js";
export type { Listen } from "./resources/listen.js";
export type { ListSubscriptionsParams, Subscriptions } from "./resources/subscriptions.js";
export type { Stats } from "./resources/stats.js";
export {
  DEFAULT_TOLERANCE_SECONDS,
  Webhook,
  WebhookVerificationError,
  type WebhookErrorCode,
  type WebhookEvent,
  type WebhookHeaders,
  type WebhookOptions,
} from "./webhook.js";
export type * from "./types.js";
export type { components, operations, paths } from "./generated/openapi.js";
