export { sign, signedHeaders, secretBytes, type SignedHeaders } from "./signature.js";
export { maxAttempts, nextDelayMs, parseRetryAfter, type RetryPolicy } from "./retry-schedule.js";
export { classify, type Outcome } from "./outcome.js";
export {
  createHttpClient,
  type AttemptResult,
  type ErrorKind,
  type HttpClient,
  type Resolver,
  type WebhookRequest,
} from "./http-client.js";
export { createAddressPolicy, BlockedAddressError, type AddressPolicy, type AddressVerdict } from "./address-policy.js";
export { envelope, USER_AGENT, type EventForDelivery } from "./envelope.js";
export { deliveryBody, PAYLOAD_SHAPES, type PayloadFlavour, type PayloadInput } from "./payloads.js";
export { createTokenCache, type OAuthClientCredentials, type TokenCache, type TokenResult } from "./oauth.js";
export { createOutbound, type OutboundOptions } from "./outbound.js";
export { LISTEN_URL_PREFIX, listenChannel, listenUrl } from "./listen-url.js";
