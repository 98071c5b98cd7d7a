export {
  createInboundService,
  type InboundCall,
  type InboundService,
  type InboundServiceOptions,
  type RoutedCall,
} from "./inbound-service.js";
export type { InboundAnswer } from "./answers.js";
export type { PreviewInput } from "./preview.js";
export { createExecutionRecorder, type ExecutionRecorder } from "./execution-recorder.js";
export { INBOUND_ORIGIN } from "./host-calls.js";
export {
  createIntegrationService,
  API_KEY_HEADER,
  type IntegrationService,
  type TriggerAnswer,
  type TriggerCall,
} from "./integrations/integration-service.js";
export { createFlowRunner, type FlowRunner, type FlowRunOutcome } from "./integrations/flow-runner.js";
export type { HostCallOptions } from "./host-calls.js";
export type { Sandbox } from "./inbound-service.js";
