import {
  AppError,
  errorType,
  type BuiltinEventType,
  type SpanAttributes,
  type Traceparent,
  type TraceSpan,
  type Tracing,
} from "@hookline/core";
import {
  isForeignKeyViolation,
  tenantScope,
  type Database,
  type EndpointWithSubscriptions,
  type NewEvent,
  type PublishResult,
  type TenantScope,
} from "@hookline/db";
import type { OperationalEvents } from "@hookline/delivery-engine";
import type { Scheduler } from "@hookline/queue";
import { admitEvents } from "./admission.js";
import { committedDeliveries, scheduleTraced } from "./committed.js";
import { customerNotFound } from "./customer-rules.js";
import { publishGroups } from "./publish-groups.js";
import { testEventFor, type TestEventRequest } from "./test-events.js";

/** An event as its publisher names it: the customer may be named by the tenant's external id. */
export interface EventToPublish extends NewEvent {
  /** The tenant's own id for the customer (`customer_external_id`); not with `customerId`. */
  readonly customerExternalId?: string | undefined;
}

/** The event to write: its customer as admission resolved it. */
function resolved(input: EventToPublish, customerId: string | null): NewEvent {
  const { customerExternalId: _named, ...event } = input;
  return { ...event, customerId };
}

/**
 * A customer deleted between admission and the write: its key refuses the event, which is then the
 * 404 admission would have answered a moment later.
 */
async function customerStillThere<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isForeignKeyViolation(error)) throw customerNotFound("The customer was not found (it was deleted).", "customer_id");
    throw error;
  }
}

export interface PublisherOptions {
  readonly db: Database;
  readonly scheduler: Scheduler;
  /** How long an idempotency key keeps answering with its first event. */
  readonly idempotencyWindowMs: number;
  /** Most events written by one grouped statement, and most groups written at once. */
  readonly maxGroup?: number;
  readonly maxConcurrent?: number;
  /** Tracing, when on: a `publish` span per publish, whose traceparent its deliveries' jobs carry. */
  readonly tracing?: Tracing | undefined;
}

export interface PublishOptions {
  /**
   * Whether the caller makes the first attempt of synchronous webhooks' deliveries itself, as the
   * API answering `POST /v1/events` does (the default). A workflow does not: its events' synchronous
   * deliveries are queued, so no partner's receiver holds a workflow for up to its timeout.
   */
  readonly attemptsSynchronousItself?: boolean;
  /** What the publish is part of, when tracing is on: a caller's traceparent, or a span (a workflow's call). */
  readonly parent?: TraceSpan | Traceparent | undefined;
}

/** A publish's answer; `traceparent` is its span's, when it was traced (for the attempts that follow it). */
export interface Published {
  readonly result: PublishResult;
  readonly deprecated: boolean;
  readonly traceparent?: Traceparent;
}

export interface Publisher {
  /**
   * One tenant event: admitted (see admitEvents), written with one delivery per subscribed
   * endpoint, and its due deliveries scheduled. Publishes that arrive together share statements
   * (see publishGroups); each gets its own answer.
   */
  publish(scope: TenantScope, input: EventToPublish, options?: PublishOptions): Promise<Published>;
  /** Many tenant events, all admitted first, written in one transaction (of any customers); results in input order. */
  publishBatch(
    scope: TenantScope,
    inputs: readonly EventToPublish[],
    options?: Pick<PublishOptions, "parent">,
  ): Promise<{ results: PublishResult[]; deprecated: boolean; traceparent?: Traceparent }>;
  /**
   * A test event to one endpoint (see testEventFor): one event, origin `test`, and one delivery to
   * that endpoint whatever it subscribes to, `held` if it is paused. 404 if the endpoint is gone.
   */
  publishTest(
    scope: TenantScope,
    endpoint: EndpointWithSubscriptions,
    request: TestEventRequest,
  ): Promise<{ event: PublishResult["event"]; deliveryId: string; deprecated: boolean }>;
  /** The engine's own events, published through the same writes and the same scheduling. */
  readonly operationalEvents: OperationalEvents;
}

/**
 * The one path an event takes into the engine, whoever publishes it: `POST /v1/events` and its
 * batch, and the engine's operational events. Postgres first, then the queue: the rows are
 * committed before the scheduler hands their ids to Redis.
 *
 * Deliveries to synchronous webhooks are left out of the queue for a tenant's publish, because the
 * API makes their first attempt itself once the event is written; the engine's own events are
 * published by workers, which wait for nobody, so theirs are queued like any other.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const { scheduler, idempotencyWindowMs, tracing } = options;
  const grouped = publishGroups({
    scheduler,
    idempotencyWindowMs,
    tracing,
    ...(options.maxGroup !== undefined && { maxGroup: options.maxGroup }),
    ...(options.maxConcurrent !== undefined && { maxConcurrent: options.maxConcurrent }),
  });
  return {
    async publish(scope, input, publishOptions = {}) {
      const trace = tracing?.start("publish", {
        kind: "producer",
        parent: publishOptions.parent,
        attributes: { "hookline.tenant.id": scope.tenantId, "hookline.event.type": input.eventType },
      });
      try {
        const { deprecated, customerIds } = await admitEvents(scope, [input], { batch: false });
        const attemptsSynchronousItself = publishOptions.attemptsSynchronousItself ?? true;
        const result = await customerStillThere(
          grouped(scope, resolved(input, customerIds[0] ?? null), { attemptsSynchronousItself, trace }),
        );
        if (!trace) return { result, deprecated };
        trace.set(publishedAttributes(result));
        return { result, deprecated, traceparent: trace.traceparent() };
      } catch (error) {
        trace?.fail(errorType(error));
        throw error;
      } finally {
        trace?.end();
      }
    },

    async publishBatch(scope, inputs, batchOptions) {
      const trace = tracing?.start("publish", {
        kind: "producer",
        parent: batchOptions?.parent,
        attributes: { "hookline.tenant.id": scope.tenantId, "hookline.events": inputs.length },
      });
      try {
        const { deprecated, customerIds } = await admitEvents(scope, inputs, { batch: true });
        const events = inputs.map((input, i) => resolved(input, customerIds[i] ?? null));
        const results = await customerStillThere(scope.events.publishBatch(events, { idempotencyWindowMs }));
        const deliveries = committedDeliveries(results);
        const publisher = { attemptsSynchronousItself: true };
        if (!tracing || !trace) {
          await scheduler.published(deliveries, publisher);
          return { results, deprecated };
        }
        // One trace for the batch: its events were one request and one transaction.
        await scheduleTraced(scheduler, tracing, [{ deliveries, trace }], publisher);
        trace.set({ "hookline.deliveries": deliveries.length });
        return { results, deprecated, traceparent: trace.traceparent() };
      } catch (error) {
        trace?.fail(errorType(error));
        throw error;
      } finally {
        trace?.end();
      }
    },

    async publishTest(scope, endpoint, request) {
      const { event, deprecated } = await testEventFor(scope, endpoint, request);
      // Queued like a workflow's publish: the test's caller waits for no synchronous receiver.
      const result = await grouped(scope, event, { attemptsSynchronousItself: false }).catch((error: unknown) => {
        // The endpoint's customer deleted meanwhile (its endpoints go with it).
        throw isForeignKeyViolation(error) ? AppError.notFound("The endpoint") : error;
      });
      const delivery = result.outcome === "published" ? result.deliveries[0] : undefined;
      // Deleted (or switched off) between its lookup and the write: the event went nowhere.
      if (!delivery) throw AppError.notFound("The endpoint");
      return { event: result.event, deliveryId: delivery.id, deprecated };
    },

    operationalEvents: {
      async publish(tenantId: string, eventType: BuiltinEventType, data: Record<string, unknown>) {
        const result = await tenantScope(options.db, tenantId).events.publish(
          { eventType, data, origin: "hookline" },
          { idempotencyWindowMs },
        );
        await scheduler.published(committedDeliveries([result]), { attemptsSynchronousItself: false });
      },
    },
  };
}

function publishedAttributes(result: PublishResult): SpanAttributes {
  return {
    "hookline.event.id": result.event.id,
    "hookline.publish.outcome": result.outcome,
    "hookline.deliveries": result.outcome === "published" ? result.deliveries.length : result.deliveryCount,
  };
}
