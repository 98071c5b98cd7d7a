import type { Logger, Traceparent } from "@hookline/core";
import { deliverPayload, JOBS, runFlowPayload } from "./catalog.js";
import { PRODUCER_COMMAND_TIMEOUT_MS } from "./connection.js";
import type { JobQueues } from "./job-queues.js";

/**
 * How long a caller waits for Redis to take committed work before it goes on. The producer
 * connection gives up on a command after PRODUCER_COMMAND_TIMEOUT_MS; this bounds the whole
 * call, so that a request never waits on Redis for longer than about a second.
 */
export const ENQUEUE_TIMEOUT_MS = PRODUCER_COMMAND_TIMEOUT_MS + 250;

/** A delivery as the transaction that wrote it left it. */
export interface CommittedDelivery {
  readonly id: string;
  readonly status: "pending" | "held" | "succeeded" | "failed";
  /** Its endpoint is a synchronous webhook, whose first attempt a publisher may make itself. */
  readonly synchronous: boolean;
  /** The traced publish that wrote it (tracing on only): its job carries it to the worker. */
  readonly traceparent?: Traceparent | undefined;
}

/** Who published: whether it makes the first attempt of synchronous deliveries itself. */
export interface Publisher {
  readonly attemptsSynchronousItself: boolean;
}

/**
 * The rule of "due", in one place: of the deliveries a publish committed, those the queue must
 * carry now. Every pending one, except a synchronous webhook's when its publisher makes that
 * first attempt itself (the API answering `POST /v1/events` does, so the delivery is never
 * attempted twice at once; the engine publishing an operational event does not, so those are
 * queued like any other). Held deliveries wait for their endpoint's resume, which enqueues them.
 */
export function dueDeliveries(deliveries: readonly CommittedDelivery[], publisher: Publisher): string[] {
  return deliveries.filter((d) => isDue(d, publisher)).map((d) => d.id);
}

function isDue(delivery: CommittedDelivery, publisher: Publisher): boolean {
  return delivery.status === "pending" && !(delivery.synchronous && publisher.attemptsSynchronousItself);
}

export interface SchedulerOptions {
  readonly queues: JobQueues;
  readonly logger: Logger;
  /** Test-only fault injection (FAULT_ENQUEUE_FAILURE_RATE): the share of enqueues that fail on purpose. */
  readonly enqueueFailureRate?: number;
  readonly timeoutMs?: number;
}

/**
 * The one way committed work reaches the queue. Every caller (publishing, resuming, recovering,
 * retrying, the sweeper) commits its rows first and then hands the ids here. An enqueue that
 * fails loses nothing: the rows are in Postgres and due, and the sweeper enqueues due work that
 * has no job. So no method throws: each waits at most `timeoutMs`, logs a failure, and answers
 * whether the queue took the work (the sweeper stops its pass when it did not).
 */
export class Scheduler {
  private readonly logger: Logger;
  private readonly failureRate: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.logger = options.logger;
    this.failureRate = options.enqueueFailureRate ?? 0;
    this.timeoutMs = options.timeoutMs ?? ENQUEUE_TIMEOUT_MS;
  }

  /** Committed deliveries that are due now, in the order given (publish order where it matters). */
  due(deliveryIds: readonly string[], log: Logger = this.logger): Promise<boolean> {
    if (deliveryIds.length === 0) return Promise.resolve(true);
    return this.bounded(deliveryIds.length, log, () =>
      this.options.queues.add(
        JOBS.deliver,
        deliveryIds.map((id) => deliverPayload(id)),
      ),
    );
  }

  /** What one or more publishes committed: their due deliveries (see dueDeliveries), each job with its publish's trace. */
  published(deliveries: readonly CommittedDelivery[], publisher: Publisher, log: Logger = this.logger): Promise<boolean> {
    const due = deliveries.filter((d) => isDue(d, publisher));
    if (due.length === 0) return Promise.resolve(true);
    return this.bounded(due.length, log, () =>
      this.options.queues.add(
        JOBS.deliver,
        due.map((d) => deliverPayload(d.id, d.traceparent)),
      ),
    );
  }

  /**
   * Stored flow executions to run (a call of a trigger URL, or one the sweeper found without a
   * job); `traceparents[i]`, when given, is the trace of the call that stored `executionIds[i]`.
   */
  flowsDue(
    executionIds: readonly string[],
    log: Logger = this.logger,
    traceparents?: readonly (Traceparent | undefined)[],
  ): Promise<boolean> {
    if (executionIds.length === 0) return Promise.resolve(true);
    return this.bounded(
      executionIds.length,
      log,
      () =>
        this.options.queues.add(
          JOBS.runFlow,
          executionIds.map((id, i) => runFlowPayload(id, traceparents?.[i])),
        ),
      "executions",
    );
  }

  /** One delivery due at `when`: a retry decided outside a worker (a synchronous webhook's). */
  retryAt(deliveryId: string, when: Date, log: Logger = this.logger): Promise<boolean> {
    const delayMs = Math.max(0, when.getTime() - Date.now());
    return this.bounded(1, log, () => this.options.queues.add(JOBS.deliver, [deliverPayload(deliveryId)], { delayMs }));
  }

  /** A delivery due again now whose earlier job may still be in Redis, finished (a manual retry). */
  dueAgain(deliveryId: string, log: Logger = this.logger): Promise<boolean> {
    return this.bounded(1, log, () => this.options.queues.addAgain(JOBS.deliver, deliverPayload(deliveryId)));
  }

  /**
   * Deliveries put off (their jobs delayed) while their endpoint was failing, made due now that
   * it delivers again. Only a matter of time: if this fails, they run when their delays end.
   */
  async expedite(deliveryIds: readonly string[], log: Logger = this.logger): Promise<void> {
    await this.options.queues.promote(JOBS.deliver, deliveryIds).catch((error: unknown) => {
      log.warn(
        { err: (error as Error).message, deliveries: deliveryIds.length },
        "could not release waiting deliveries; they run when their delays end",
      );
    });
  }

  private async bounded(
    count: number,
    log: Logger,
    enqueue: () => Promise<void>,
    what: "deliveries" | "executions" = "deliveries",
  ): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.failureRate > 0 && Math.random() < this.failureRate) throw new Error("injected enqueue failure (test configuration)");
      await Promise.race([
        enqueue(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`enqueue timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      return true;
    } catch (error) {
      log.warn({ err: (error as Error).message, [what]: count }, `enqueue failed; the sweeper will enqueue these ${what}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
