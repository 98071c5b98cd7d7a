import { AppError } from "./errors.js";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Span, type SpanContext, type Tracer } from "@opentelemetry/api";

/*
 * Hookline's tracing vocabulary: the few manual spans (publish, enqueue, job, attempt, inbound
 * execution, flow run) are made through this interface, and the trace context crosses processes
 * as one W3C `traceparent` string (in a job's payload, or a request header). Packages are given a
 * `Tracing` or `undefined`: undefined is tracing off, decided once at start-up, and then no span
 * is made and no context is formatted (`tracing?.start(...)` costs a comparison).
 *
 * Parents are passed explicitly, never taken from an ambient context: group commit answers many
 * publishes with one statement and one bulk add, so "the current span" would be the wrong one.
 */

/** A W3C trace context header value, version 00: `00-<trace id>-<parent span id>-<flags>`. */
export type Traceparent = string;

/** What a traceparent names: the trace, the span that is the parent, whether that trace is sampled. */
export interface TraceparentFields {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

/** The form Hookline writes (version 00, lower-case hex); job schemas accept only this. */
export const TRACEPARENT_PATTERN = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";

const HEADER = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/**
 * Reads a traceparent as W3C Trace Context says: version ff, all-zero ids, upper-case hex and a
 * version 00 header with anything after its flags are invalid (a new trace starts instead); a
 * later version is read by its first four fields.
 */
export function parseTraceparent(value: string | undefined): TraceparentFields | undefined {
  if (value === undefined || value.length > 512) return undefined;
  const match = HEADER.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId: traceId!, spanId: spanId!, sampled: (parseInt(flags!, 16) & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}

function formatTraceparent(context: SpanContext): Traceparent {
  const flags = context.traceFlags & TraceFlags.SAMPLED ? "01" : "00";
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

/** Span attributes: no bodies, no secrets, no URLs (a receiver's URL may hold a token). */
export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export type SpanKindName = "internal" | "server" | "client" | "producer" | "consumer";

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

export interface TraceSpan {
  /** This span as the parent of work in another process (a job's payload). */
  traceparent(): Traceparent;
  set(attributes: SpanAttributes): void;
  /** The span's operation failed: `error.type` is a short, known kind (never a message with data in it). */
  fail(errorType: string): void;
  end(): void;
}

export interface StartSpanOptions {
  readonly kind?: SpanKindName;
  /** A span of this process, or a traceparent from another; none (or an invalid one): a new trace. */
  readonly parent?: TraceSpan | Traceparent | undefined;
  readonly attributes?: SpanAttributes;
}

export interface Tracing {
  start(name: string, options?: StartSpanOptions): TraceSpan;
}

class OtelSpan implements TraceSpan {
  constructor(readonly span: Span) {}

  traceparent(): Traceparent {
    return formatTraceparent(this.span.spanContext());
  }

  set(attributes: SpanAttributes): void {
    this.span.setAttributes(attributes);
  }

  fail(errorType: string): void {
    this.span.setAttribute("error.type", errorType);
    this.span.setStatus({ code: SpanStatusCode.ERROR });
  }

  end(): void {
    this.span.end();
  }
}

function parentContext(parent: StartSpanOptions["parent"]) {
  if (parent === undefined) return ROOT_CONTEXT;
  if (parent instanceof OtelSpan) return trace.setSpan(ROOT_CONTEXT, parent.span);
  if (typeof parent !== "string") return ROOT_CONTEXT;
  const fields = parseTraceparent(parent);
  if (!fields) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: fields.traceId,
    spanId: fields.spanId,
    traceFlags: fields.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/** A thrown error as a span's `error.type`: the AppError's code, or the error's class name, never its message. */
export function errorType(error: unknown): string {
  if (error instanceof AppError) return error.code;
  return error instanceof Error ? error.name : "unknown";
}

/** Hookline's tracing over an OpenTelemetry tracer (made by @hookline/telemetry when tracing is on). */
export function createTracing(tracer: Tracer): Tracing {
  return {
    start(name, options = {}) {
      const span = tracer.startSpan(
        name,
        { kind: KINDS[options.kind ?? "internal"], ...(options.attributes && { attributes: options.attributes }) },
        parentContext(options.parent),
      );
      return new OtelSpan(span);
    },
  };
}
