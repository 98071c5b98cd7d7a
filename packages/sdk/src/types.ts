import type { components, operations } from "./generated/openapi.js";

/**
 * Names for the generated types the SDK's methods take and return, so callers can write
 * `Endpoint` instead of `components["schemas"]["EndpointResponse"]`. All come from the OpenAPI
 * document; none is written by hand.
 */
type Schemas = components["schemas"];
type JsonBody<Operation extends keyof operations> = operations[Operation] extends {
  requestBody?: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

export type Endpoint = Schemas["EndpointResponse"];
export type EndpointStatus = Schemas["EndpointStatus"];
export type CreateEndpointParams = JsonBody<"createEndpoint">;
export type UpdateEndpointParams = JsonBody<"updateEndpoint">;
export type RotateSecretParams = JsonBody<"rotateEndpointSecret">;
export type RotatedSecret = Schemas["RotatedSecretResponse"];
export type RecoverParams = JsonBody<"recoverEndpoint">;
export type Recovery = Schemas["RecoveryResponse"];
export type SendTestEventParams = JsonBody<"sendTestEvent">;
export type SentTestEvent = Schemas["TestEventResponse"];

export type Subscription = Schemas["SubscriptionResponse"];
export type CreateSubscriptionParams = JsonBody<"createSubscription">;
export type UpdateSubscriptionParams = JsonBody<"updateSubscription">;

export type PublishEventParams = JsonBody<"publishEvent">;
export type PublishedEvent = Schemas["PublishedEventResponse"];
export type BatchPublishedEvent = Schemas["BatchPublishedEventResponse"];
export type Event = Schemas["EventResponse"];
export type EventSummary = Schemas["EventSummaryResponse"];

export type Delivery = Schemas["DeliveryResponse"];
export type DeliveryStatus = Schemas["DeliveryStatus"];
export type DeliveryWithAttempts = Schemas["DeliveryWithAttemptsResponse"];
export type Attempt = Schemas["AttemptResponse"];

/** `GET /v1/stats`. */
export type StatsOverview = Schemas["StatsResponse"];

export type EventType = Schemas["EventTypeResponse"];
export type CreateEventTypeParams = JsonBody<"createEventType">;
export type UpdateEventTypeParams = JsonBody<"updateEventType">;

export type InboundEndpoint = Schemas["InboundEndpointResponse"];
export type CreateInboundEndpointParams = JsonBody<"createInboundEndpoint">;
export type UpdateInboundEndpointParams = JsonBody<"updateInboundEndpoint">;
export type InboundExecution = Schemas["ExecutionResponse"];
export type ExecutionOutcome = Schemas["ExecutionOutcomeName"];

export type ListenSession = Schemas["ListenSessionResponse"];
export type CreateListenParams = JsonBody<"createListenSession">;
export type ListenResult = JsonBody<"reportListenResult">;

export type Customer = Schemas["CustomerResponse"];
export type CreateCustomerParams = JsonBody<"createCustomer">;
export type UpdateCustomerParams = JsonBody<"updateCustomer">;

export type ErrorCode = Schemas["ErrorCode"];
export type FieldProblem = Schemas["FieldProblem"];
