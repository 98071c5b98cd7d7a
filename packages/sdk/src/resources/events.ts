import { unwrap, type Context, type RequestOptions } from "../context.js";
import type { BatchPublishedEvent, Event, PublishedEvent, PublishEventParams } from "../types.js";

export interface PublishOptions extends RequestOptions {
  /**
   * The same key within the API's idempotency window returns the first event and creates
   * nothing. Without one (here or as `idempotency_key`), the SDK makes one per publish, so its
   * own retries cannot publish twice.
   */
  readonly idempotencyKey?: string;
}

/** `/v1/events`: publishing, and reading an event with its deliveries. */
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

  /** The event with its data and one delivery per endpoint it fanned out to. */
  get(id: string, options?: RequestOptions): Promise<Event> {
    return unwrap(this.ctx.raw.GET("/v1/events/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }
}
