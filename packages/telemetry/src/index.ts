export { startTelemetry, type Telemetry, type TelemetryDefaults } from "./telemetry.js";
