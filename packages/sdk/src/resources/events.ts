import { isoTime, pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type { BatchPublishedEvent, Event, EventSummary, PublishedEvent, PublishEventParams } from "../types.js";

export interface ListEventsParams extends PageParams {
  /** One type's name, or every type under a prefix: `invoice.*`. */
  readonly eventType?: string;
  readonly objectId?: string;
  /** Created at or after (an ISO date-time or a Date). */
  readonly since?: string | Date;
  /** Created at or before. */
  readonly until?: string | Date;
}

export interface PublishOptions extends RequestOptions {
  /**
   * The same key within the API's idempotency window returns the first event and creates
   * nothing. Without one (here or as `idempotency_key`), the SDK makes one per publish, so its
   * own retries cannot publish twice.
   */
  readonly idempotencyKey?: string;
}

/** `/v1/events`: publishing, listing, and reading an event with its deliveries. */
export class Events {
  constructor(private readonly ctx: Context) {}

  /** Publishes one event to every subscribed endpoint (202: stored and queued, not yet delivered). */
  publish(params: PublishEventParams, options: PublishOptions = {}): Promise<PublishedEvent> {
    // Chosen once, before the first attempt: every retry of this publish carries the same key.
    const key = options.idempotencyKey ?? params.idempotency_key ?? globalThis.crypto.randomUUID();
    return unwrap(this.ctx.raw.POST("/v1/events", { body: params, headers: { "Idempotency-Key": key }, ...this.ctx.init(options) }));
  }

  /**
   * Publishes up to 500 events in one transaction; results come in their order. Events without
   * an `idempotency_key` get one, so a retried batch replays instead of publishing twice.
   */
  publishBatch(events: readonly PublishEventParams[], options?: RequestOptions): Promise<BatchPublishedEvent[]> {
    const keyed = events.map((event) => ({ ...event, idempotency_key: event.idempotency_key ?? globalThis.crypto.randomUUID() }));
    return unwrap(this.ctx.raw.POST("/v1/events/batch", { body: { events: keyed }, ...this.ctx.init(options) }));
  }

  /** The tenant's events, newest first, with their data (`get` adds their deliveries). */
  list(params: ListEventsParams = {}, options?: RequestOptions): PageIterator<EventSummary> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/events", {
        params: {
          query: {
            ...pageQuery(params, cursor),
            event_type: params.eventType,
            object_id: params.objectId,
            since: isoTime(params.since),
            until: isoTime(params.until),
          },
        },
        ...this.ctx.init(options),
      }),
    );
  }

  /** The event with its data and one delivery per endpoint it fanned out to. */
  get(id: string, options?: RequestOptions): Promise<Event> {
    return unwrap(this.ctx.raw.GET("/v1/events/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }
}
