export {
  createDeliveryEngine,
  type AttemptOptions,
  type AttemptOutcome,
  type DeliveryEngine,
  type DeliveryEngineOptions,
  type DeliveryPolicy,
} from "./attempt-delivery.js";
export { EndpointGate, type EndpointGateOptions } from "./endpoint-gate.js";
export { failingTooLongReason, GONE_REASON, healthChange, lastErrorOf } from "./endpoint-health.js";
export type {
  AttemptConsequence,
  AttemptRecord,
  DeliveryWork,
  HealthChange,
  OperationalEvents,
  RecordedAttempt,
  WaitingDeliveries,
  WorkStore,
} from "./ports.js";
