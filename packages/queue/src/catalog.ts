import { Ajv, type JSONSchemaType, type ValidateFunction } from "ajv";
import { MAX_ENDPOINT_TIMEOUT_SECONDS, TRACEPARENT_PATTERN, type Traceparent } from "@hookline/core";

/**
 * The job catalog: every kind of queued work Hookline does, named once with everything a
 * producer and a worker must agree on. Payloads carry ids and a version, never bodies or
 * secrets: the row in Postgres is the truth, and the worker reads it again.
 *
 * Glossary:
 * - job kind: one entry here (`deliver`); a BullMQ job name on one queue.
 * - payload: what a job carries, checked against the kind's schema when it is put on the queue
 *   and again when a worker takes it off (a job written by an older or newer version, or by
 *   hand, is refused rather than half-understood).
 * - traceparent: the W3C trace context of the work that queued the job, when tracing is on (an
 *   id, like the others); its absence is the job of a version without tracing, or tracing off.
 * - job id: derived from the payload, so enqueueing the same work twice while its job exists is
 *   one job (BullMQ ignores an add whose id is taken).
 * - attempts / backoff: how often BullMQ runs a job whose processor *threw* (the database was
 *   unreachable, a bug); the work's own retries (a receiver answered 500) are the processor's.
 * - lock: how long a worker holds a job before BullMQ may hand it to another worker; renewed
 *   while the processor runs, and longer than the longest thing the processor waits for.
 */
export interface JobKind<Payload> {
  /** The BullMQ job name. */
  readonly name: string;
  /** The queue its jobs go on; a queue may carry several kinds. */
  readonly queue: QueueName;
  readonly schema: JSONSchemaType<Payload>;
  readonly jobId: (payload: Payload) => string;
  readonly attempts: number;
  readonly backoff: { readonly type: "exponential" | "fixed"; readonly delayMs: number };
  readonly lockDurationMs: number;
}

/** A job whose payload does not match its kind's schema: never worth running again. */
export class MalformedJobError extends Error {
  override readonly name = "MalformedJobError";
}

/** Every queue Hookline uses. Workers run one BullMQ Worker per queue that has a processor. */
export const QUEUES = {
  deliveries: "deliveries",
  flows: "flows",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/*
 * `traceparent` is optional within version 1 rather than a version 2: written only while tracing is
 * on, so with tracing off (the default) every job is byte for byte what earlier versions wrote and
 * read. A worker of an earlier version refuses a job that has one (as malformed: never retried, and
 * the sweeper enqueues its due row again, without one), so tracing is turned on after the workers
 * run this version (docs/DECISIONS.md, "Tracing").
 */
const traceparentSchema = { type: "string", pattern: TRACEPARENT_PATTERN, nullable: true } as const;

/** One attempt of one delivery (a delivery is one event to one endpoint). */
export interface DeliverPayload {
  readonly v: 1;
  readonly deliveryId: string;
  /** The publish that made the delivery, when it was traced. */
  readonly traceparent?: Traceparent;
}

const deliverSchema: JSONSchemaType<DeliverPayload> = {
  type: "object",
  required: ["v", "deliveryId"],
  additionalProperties: false,
  properties: {
    v: { type: "integer", const: 1 },
    deliveryId: { type: "string", minLength: 1, maxLength: 128 },
    traceparent: traceparentSchema,
  },
};

/** One run of an integration's flow, for a call of a trigger URL stored as a flow execution. */
export interface RunFlowPayload {
  readonly v: 1;
  readonly executionId: string;
  /** The trigger call that stored the execution, when it was traced. */
  readonly traceparent?: Traceparent;
}

const runFlowSchema: JSONSchemaType<RunFlowPayload> = {
  type: "object",
  required: ["v", "executionId"],
  additionalProperties: false,
  properties: {
    v: { type: "integer", const: 1 },
    executionId: { type: "string", minLength: 1, maxLength: 128 },
    traceparent: traceparentSchema,
  },
};

/** Typed once, so a kind's schema, id and payload type cannot disagree. */
function defineJob<Payload>(kind: JobKind<Payload>): JobKind<Payload> {
  return kind;
}

export const JOBS = {
  deliver: defineJob<DeliverPayload>({
    name: "deliver",
    queue: QUEUES.deliveries,
    schema: deliverSchema,
    // The delivery id, which is also the webhook-id: a delivery has at most one job at a time.
    jobId: (payload) => payload.deliveryId,
    attempts: 5,
    backoff: { type: "exponential", delayMs: 1_000 },
    // An attempt waits at most the endpoint's timeout (plus OAuth's token request, bounded by the
    // same timeout); 30 s more covers the reads and writes around it and a missed renewal.
    lockDurationMs: MAX_ENDPOINT_TIMEOUT_SECONDS * 1_000 + 30_000,
  }),
  runFlow: defineJob<RunFlowPayload>({
    name: "run-flow",
    queue: QUEUES.flows,
    schema: runFlowSchema,
    // The execution id: one job per stored call, however often the sweeper finds it.
    jobId: (payload) => payload.executionId,
    attempts: 5,
    backoff: { type: "exponential", delayMs: 1_000 },
    // BullMQ renews the lock while the flow runs, so it need not outlast the flow: a worker that
    // dies mid-flow gives the job up this long after its last renewal (FLOW_LOCK_SECONDS sets it).
    lockDurationMs: 30_000,
  }),
};

export type JobName = keyof typeof JOBS;

/** The payload of a flow job; without a trace, exactly the version 1 payload of old. */
export function runFlowPayload(executionId: string, traceparent?: Traceparent): RunFlowPayload {
  return traceparent === undefined ? { v: 1, executionId } : { v: 1, executionId, traceparent };
}

/** The payload of a delivery job; without a trace, exactly the version 1 payload of old. */
export function deliverPayload(deliveryId: string, traceparent?: Traceparent): DeliverPayload {
  return traceparent === undefined ? { v: 1, deliveryId } : { v: 1, deliveryId, traceparent };
}

const ajv = new Ajv({ allErrors: false, strict: true });
const validators = new WeakMap<object, ValidateFunction>();

function validatorOf<P>(kind: JobKind<P>): ValidateFunction<P> {
  let validate = validators.get(kind.schema);
  if (!validate) {
    validate = ajv.compile(kind.schema);
    validators.set(kind.schema, validate);
  }
  return validate as ValidateFunction<P>;
}

/** The payload typed, or a MalformedJobError naming what is wrong with it. */
export function parsePayload<P>(kind: JobKind<P>, data: unknown): P {
  const validate = validatorOf(kind);
  if (validate(data)) return data;
  const problem = validate.errors?.[0];
  throw new MalformedJobError(
    `malformed ${kind.name} job: ${problem ? `${problem.instancePath || "payload"} ${problem.message ?? "is invalid"}` : "invalid"}`,
  );
}

/** How a queue's worker holds its jobs: long enough for the slowest kind on it. */
export function queueSettings(queue: QueueName): { lockDurationMs: number } {
  const kinds = Object.values(JOBS).filter((kind) => kind.queue === queue);
  return { lockDurationMs: Math.max(30_000, ...kinds.map((kind) => kind.lockDurationMs)) };
}
