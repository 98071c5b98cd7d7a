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
