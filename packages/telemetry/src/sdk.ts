import { diag, DiagLogLevel } from "@opentelemetry/api";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TracingConfig } from "@hookline/config";
import { createTracing, type Logger } from "@hookline/core";
import type { Telemetry, TelemetryDefaults } from "./telemetry.js";

/** The tracer's name on every span (its instrumentation scope). */
export const INSTRUMENTATION_SCOPE = "hookline";

export function sampler(config: Pick<TracingConfig, "sampler" | "samplerRatio">): Sampler {
  switch (config.sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(config.samplerRatio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplerRatio) });
  }
}

/** The OTLP/HTTP exporter of the configured encoding; only that one is loaded. */
async function exporter(config: TracingConfig): Promise<SpanExporter> {
  // Passed explicitly, so the exporter sends what the configuration parsed (it would read
  // OTEL_EXPORTER_OTLP_* itself otherwise; what is not passed, like compression, it still does).
  const options = { url: config.endpoint, headers: { ...config.headers }, timeoutMillis: config.exportTimeoutMs };
  if (config.protocol === "http/json") {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
  return new OTLPTraceExporter(options);
}

/** The SDK's diagnostics (an export that failed, spans dropped) as warnings in the process's log. */
function diagnosticsTo(logger: Logger): void {
  const warn = (message: string) => logger.warn({ component: "opentelemetry" }, message);
  const quiet = () => undefined;
  diag.setLogger(
    { error: warn, warn, info: quiet, debug: quiet, verbose: quiet },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}

export async function startSdk(config: TracingConfig, defaults: TelemetryDefaults): Promise<Telemetry> {
  diagnosticsTo(defaults.logger);
  const resource = defaultResource().merge(
    resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName ?? defaults.serviceName }),
  );
  const provider = new TracerProvider({
    resource,
    sampler: sampler(config),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: await exporter(config),
        scheduledDelayMillis: config.batch.scheduleDelayMs,
        maxQueueSize: config.batch.maxQueueSize,
        maxExportBatchSize: config.batch.maxExportBatchSize,
        exportTimeoutMillis: config.batch.exportTimeoutMs,
      }),
    ],
  });
  // Never registered as the global provider: the tracer is handed to the packages that make
  // spans, so nothing else in the process (a library's own instrumentation) starts tracing.
  const tracing = createTracing(provider.getTracer(INSTRUMENTATION_SCOPE));
  // Headers are left out: they may hold a collector's API key.
  defaults.logger.info(
    {
      endpoint: config.endpoint,
      protocol: config.protocol,
      sampler: config.sampler,
      service_name: config.serviceName ?? defaults.serviceName,
    },
    "tracing on: spans are exported over OTLP",
  );
  return {
    tracing,
    async shutdown(timeoutMs = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        provider.shutdown().catch((error: unknown) => defaults.logger.warn({ err: (error as Error).message }, "tracing shutdown failed")),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    },
  };
}
