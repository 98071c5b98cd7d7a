import { startReceiver } from "./receiver.js";

/** One span as a collector received it over OTLP/HTTP JSON, flattened for assertions. */
export interface CollectedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a trace's root (or a span whose parent is in no process we know). */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP's numbers: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  /** The resource's service.name: which process made it. */
  readonly service: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

export interface OtlpCollector {
  /** The URL to export traces to (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, with OTEL_EXPORTER_OTLP_PROTOCOL=http/json). */
  readonly url: string;
  readonly spans: CollectedSpan[];
  /** Export requests received (each holds a batch of spans). */
  readonly exports: number;
  /** Resolves once `check` is true of the spans received so far; rejects after `timeoutMs`. */
  waitFor(check: (spans: readonly CollectedSpan[]) => boolean, timeoutMs?: number): Promise<CollectedSpan[]>;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function valueOf(value: OtlpValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue ?? "";
}

function attributesOf(list: readonly OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));
}

/** Flattens one OTLP/JSON export request (ids are hex in OTLP's JSON encoding). */
export function spansOfExport(body: string): CollectedSpan[] {
  const parsed = JSON.parse(body) as OtlpExport;
  return (parsed.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)["service.name"] ?? "");
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ? span.parentSpanId : undefined,
        name: span.name,
        kind: span.kind,
        service,
        attributes: attributesOf(span.attributes),
        statusCode: span.status?.code ?? 0,
      })),
    );
  });
}

/**
 * An OpenTelemetry collector of the smallest kind, on a free loopback port: it accepts OTLP/HTTP
 * JSON exports and keeps their spans, so a test can check what real processes traced.
 */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: CollectedSpan[] = [];
  const waiters: { check: (spans: readonly CollectedSpan[]) => boolean; resolve: () => void }[] = [];
  const receiver = await startReceiver((request) => {
    if (request.method === "POST" && request.path === "/v1/traces") {
      spans.push(...spansOfExport(request.body));
      for (const waiter of waiters.filter((w) => w.check(spans))) waiter.resolve();
    }
    // An empty ExportTraceServiceResponse: everything accepted.
    return { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
  });
  return {
    url: `${receiver.url}/v1/traces`,
    spans,
    get exports() {
      return receiver.requests.length;
    },
    waitFor(check, timeoutMs = 15_000) {
      if (check(spans)) return Promise.resolve(spans);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`collector: condition not met within ${timeoutMs} ms (${spans.length} spans)`)),
          timeoutMs,
        );
        waiters.push({
          check,
          resolve: () => {
            clearTimeout(timer);
            resolve(spans);
          },
        });
      });
    },
    close: () => receiver.close(),
  };
}
