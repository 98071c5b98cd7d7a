import { isoTime, pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type { Delivery, DeliveryStatus, DeliveryWithAttempts } from "../types.js";

export interface ListDeliveriesParams extends PageParams {
  /** Only deliveries in this state. */
  readonly status?: DeliveryStatus;
}

/** Filters of the tenant-wide list (`list(params)`). */
export interface ListAllDeliveriesParams extends ListDeliveriesParams {
  readonly endpointId?: string;
  readonly eventId?: string;
  /** Created (published) at or after (an ISO date-time or a Date). */
  readonly since?: string | Date;
  /** Created at or before. */
  readonly until?: string | Date;
}

/** Deliveries: one per event and endpoint, each with its attempts. */
export class Deliveries {
  constructor(private readonly ctx: Context) {}

  /** Every endpoint's deliveries, newest first, narrowed by `params`. */
  list(params?: ListAllDeliveriesParams, options?: RequestOptions): PageIterator<Delivery>;
  /** One endpoint's deliveries, oldest first (`GET /v1/endpoints/{id}/deliveries`). */
  list(endpointId: string, params?: ListDeliveriesParams, options?: RequestOptions): PageIterator<Delivery>;
  list(
    first: string | ListAllDeliveriesParams = {},
    second?: ListDeliveriesParams | RequestOptions,
    third?: RequestOptions,
  ): PageIterator<Delivery> {
    if (typeof first !== "string") return this.listAll(first, second as RequestOptions | undefined);
    const endpointId = first;
    const params = (second ?? {}) as ListDeliveriesParams;
    const options = third;
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/endpoints/{id}/deliveries", {
        params: { path: { id: endpointId }, query: { ...pageQuery(params, cursor), status: params.status } },
        ...this.ctx.init(options),
      }),
    );
  }

  private listAll(params: ListAllDeliveriesParams, options?: RequestOptions): PageIterator<Delivery> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/deliveries", {
        params: {
          query: {
            ...pageQuery(params, cursor),
            status: params.status,
            endpoint_id: params.endpointId,
            event_id: params.eventId,
            since: isoTime(params.since),
            until: isoTime(params.until),
          },
        },
        ...this.ctx.init(options),
      }),
    );
  }

  /** The delivery with every attempt made (status code or error kind, timing, response). */
  get(id: string, options?: RequestOptions): Promise<DeliveryWithAttempts> {
    return unwrap(this.ctx.raw.GET("/v1/deliveries/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  /** Attempts a failed delivery once more, now, with the same webhook-id (409 unless it failed). */
  retry(id: string, options?: RequestOptions): Promise<Delivery> {
    return unwrap(this.ctx.raw.POST("/v1/deliveries/{id}/retry", { params: { path: { id } }, ...this.ctx.init(options) }));
  }
}
