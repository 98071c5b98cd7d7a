import type { Env, EnvReader } from "./env-parsers.js";

/*
 * Tracing, configured by the OpenTelemetry SDK's standard variables (OTEL_*), read here once like
 * every other setting so that a bad value stops the process at boot with the others. Off unless a
 * variable asks for it: an exporter or an endpoint named, or OTEL_SDK_DISABLED=false said outright.
 */

export type TracesSampler =
  "always_on" | "always_off" | "traceidratio" | "parentbased_always_on" | "parentbased_always_off" | "parentbased_traceidratio";

const SAMPLERS: readonly TracesSampler[] = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface TracingConfig {
  /** Spans are made and exported; when false nothing of the SDK is loaded. */
  readonly enabled: boolean;
  /** OTEL_SERVICE_NAME (or service.name in OTEL_RESOURCE_ATTRIBUTES); unset: the process's own name. */
  readonly serviceName: string | undefined;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** Where spans go: the traces URL of an OTLP/HTTP collector. */
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  /** Sent with every export (a collector's API key): a secret, never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly exportTimeoutMs: number;
  readonly sampler: TracesSampler;
  /** The share of new traces kept by the ratio samplers (OTEL_TRACES_SAMPLER_ARG). */
  readonly samplerRatio: number;
  /** The batch span processor (OTEL_BSP_*). */
  readonly batch: {
    readonly scheduleDelayMs: number;
    readonly maxQueueSize: number;
    readonly maxExportBatchSize: number;
    readonly exportTimeoutMs: number;
  };
}

const DEFAULT_OTLP_BASE = "http://localhost:4318";

/** `key=value,key=value`, values percent-encoded (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
function keyValues(read: EnvReader, env: Env, name: string, secret: boolean): Record<string, string> {
  const raw = env[name]?.trim();
  const pairs: Record<string, string> = {};
  if (!raw) return pairs;
  for (const entry of raw.split(",")) {
    if (entry.trim() === "") continue;
    const at = entry.indexOf("=");
    const key = at > 0 ? entry.slice(0, at).trim() : "";
    let value: string | undefined;
    try {
      value = at > 0 ? decodeURIComponent(entry.slice(at + 1).trim()) : undefined;
    } catch {
      value = undefined;
    }
    if (key === "" || value === undefined) {
      // A header may hold an API key: name the variable, never the text.
      read.problems.push(`${name} must be a comma-separated list of key=value pairs${secret ? "" : ` (got "${entry.trim()}")`}`);
      continue;
    }
    pairs[key] = value;
  }
  return pairs;
}

function tracesEndpoint(read: EnvReader, env: Env): string {
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  // The signal's own URL is used as it is; the general one is a base the signal's path goes after.
  if (signal) return read.url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", DEFAULT_OTLP_BASE, ["http:", "https:"]);
  const base = read.url("OTEL_EXPORTER_OTLP_ENDPOINT", DEFAULT_OTLP_BASE, ["http:", "https:"]);
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

function protocol(read: EnvReader, env: Env): OtlpProtocol {
  const name = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
  if (env[name]?.trim() === "grpc") {
    read.problems.push(`${name}=grpc is not supported: use http/protobuf (the default) or http/json`);
    return "http/protobuf";
  }
  return read.oneOf<OtlpProtocol>(name, "http/protobuf", ["http/protobuf", "http/json"]);
}

/** Whether the variables ask for tracing (see the comment at the top). */
function tracingWanted(read: EnvReader, env: Env): boolean {
  const disabled = env.OTEL_SDK_DISABLED?.trim() ? read.bool("OTEL_SDK_DISABLED", true) : undefined;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim() ? read.oneOf("OTEL_TRACES_EXPORTER", "none", ["otlp", "none"]) : undefined;
  if (disabled === true || exporter === "none") return false;
  const endpointNamed = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
  return disabled === false || exporter === "otlp" || endpointNamed;
}

function ratio(read: EnvReader, env: Env, sampler: TracesSampler): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!raw || !sampler.endsWith("traceidratio")) return 1;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) {
    read.problems.push(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 for ${sampler} (got "${raw}")`);
    return 1;
  }
  return value;
}

export function tracingConfig(read: EnvReader, env: Env): TracingConfig {
  const resourceAttributes = keyValues(read, env, "OTEL_RESOURCE_ATTRIBUTES", false);
  const sampler = read.oneOf("OTEL_TRACES_SAMPLER", "parentbased_always_on", SAMPLERS);
  const maxQueueSize = read.int("OTEL_BSP_MAX_QUEUE_SIZE", 2048, { min: 1, max: 1_000_000 });
  const maxExportBatchSize = read.int("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, { min: 1, max: 1_000_000 });
  if (maxExportBatchSize > maxQueueSize) read.problems.push("OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not be above OTEL_BSP_MAX_QUEUE_SIZE");
  const signalTimeout = env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT?.trim() ? "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT" : "OTEL_EXPORTER_OTLP_TIMEOUT";
  const signalHeaders = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS?.trim() ? "OTEL_EXPORTER_OTLP_TRACES_HEADERS" : "OTEL_EXPORTER_OTLP_HEADERS";
  return {
    enabled: tracingWanted(read, env),
    serviceName: read.optionalString("OTEL_SERVICE_NAME") ?? resourceAttributes["service.name"],
    resourceAttributes,
    endpoint: tracesEndpoint(read, env),
    protocol: protocol(read, env),
    headers: keyValues(read, env, signalHeaders, true),
    // Milliseconds, as the OpenTelemetry specification has every OTEL_* duration.
    exportTimeoutMs: read.int(signalTimeout, 10_000, { min: 1, max: 600_000 }),
    sampler,
    samplerRatio: ratio(read, env, sampler),
    batch: {
      scheduleDelayMs: read.int("OTEL_BSP_SCHEDULE_DELAY", 5_000, { min: 0, max: 600_000 }),
      maxQueueSize,
      maxExportBatchSize,
      exportTimeoutMs: read.int("OTEL_BSP_EXPORT_TIMEOUT", 30_000, { min: 1, max: 600_000 }),
    },
  };
}
