export { newId, isId, ID_PREFIXES, type IdKind } from "./ids.js";
export { AppError, type AppErrorInit, type ErrorCode, type FieldProblem } from "./errors.js";
export { createLogger, standardOutput, type Logger } from "./logger.js";
export { createLogOutput, type LogOutput, type LogOutputOptions } from "./log-output.js";
export {
  awaitDependencies,
  ensureStartable,
  EXIT_CODES,
  EXIT_REASONS,
  type AwaitOptions,
  type Dependency,
  type Unreachable,
} from "./startup.js";
export { failureReason, NoAnswerError, publicFailure, withinDeadline } from "./dependency-failures.js";
export { eventTypeCandidates, eventTypeProblem, matchesEventType, EVENT_TYPE_MAX_LENGTH, EVENT_TYPE_MAX_SEGMENTS } from "./event-types.js";
export { issueApiKey, issuePortalToken, parseApiKey, parsePortalToken, secretMatches, type IssuedApiKey } from "./api-keys.js";
export { BUILTIN_EVENT_TYPES, isBuiltinEventType, type BuiltinEventType } from "./builtin-event-types.js";
export { createSecretCipher, isSealed, SecretCipherError, type SecretCipher } from "./secret-cipher.js";
export { MAX_ENDPOINT_TIMEOUT_SECONDS } from "./limits.js";
export { metricOnce, metricsText, startProcessMetrics } from "./process-metrics.js";
export {
  ENDPOINT_FLAVOURS,
  type AttemptConsequence,
  type AttemptRecord,
  type DeliveryWork,
  type EndpointFlavour,
  type HealthChange,
  type OAuthClientCredentials,
  type RecordedAttempt,
  type WorkStore,
} from "./delivery-work.js";
export {
  compileInboundPath,
  inboundPathProblem,
  inboundPathsOverlap,
  requestSegments,
  INBOUND_METHODS,
  INBOUND_PATH_MAX_LENGTH,
  type InboundMethod,
  type InboundPathPattern,
} from "./inbound-paths.js";
export { generateEnvironmentKey, hashEnvironmentKey, environmentKeyMatches, type EnvironmentKeyKind } from "./environment-keys.js";
export { findEndpointClash, findEnvironmentClash, type BrandedEnvironment, type RoutedEndpoint } from "./inbound-clashes.js";
export {
  endpointConfigProblems,
  routableFlows,
  type EndpointConfig,
  type EndpointConfigType,
  type FlowSecurity,
  type IntegrationDefinition,
  type RequestField,
  type StoredFlow,
} from "./integration-definition.js";
export { PORTAL_CAPABILITIES, PORTAL_TOKEN_DEFAULT_SECONDS, PORTAL_TOKEN_MAX_SECONDS, type PortalCapability } from "./portal.js";
export {
  createTracing,
  errorType,
  parseTraceparent,
  TRACEPARENT_PATTERN,
  type SpanAttributes,
  type SpanKindName,
  type StartSpanOptions,
  type Traceparent,
  type TraceparentFields,
  type TraceSpan,
  type Tracing,
} from "./tracing.js";
