import type { TracingConfig } from "@hookline/config";
import type { Logger, Tracing } from "@hookline/core";

/** A process's tracing: what its packages are given, and the flush it owes its collector on exit. */
export interface Telemetry {
  /** Undefined when tracing is off: the packages then make no span at all. */
  readonly tracing: Tracing | undefined;
  /** Exports the spans still buffered and stops; waits at most `timeoutMs`. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface TelemetryDefaults {
  /** The service name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES gives one. */
  readonly serviceName: string;
  /** Where the SDK's own warnings go (an export that failed, a full queue). */
  readonly logger: Logger;
}

const OFF: Telemetry = { tracing: undefined, shutdown: () => Promise.resolve() };

/**
 * Starts tracing for one process (the API or a worker) as the configuration says. Off, the SDK is
 * not even loaded: the only cost left is the `tracing === undefined` the packages check.
 */
export async function startTelemetry(config: TracingConfig, defaults: TelemetryDefaults): Promise<Telemetry> {
  if (!config.enabled) return OFF;
  const { startSdk } = await import("./sdk.js");
  return startSdk(config, defaults);
}
