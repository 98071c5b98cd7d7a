export { attemptDelivery, type AttemptOutcome, type EngineDependencies } from "./attempt-delivery.js";
export { publishOperationalEvent } from "./operational-events.js";
export { createOutbound, type OutboundOptions } from "./outbound.js";
export { attemptSeconds, attemptsTotal, metricsText, startProcessMetrics } from "./metrics.js";
export { EndpointGate, type EndpointGateOptions } from "./endpoint-gate.js";
