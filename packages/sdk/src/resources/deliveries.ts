import { pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type { Delivery, DeliveryStatus, DeliveryWithAttempts } from "../types.js";

export interface ListDeliveriesParams extends PageParams {
  /** Only deliveries in this state. */
  readonly status?: DeliveryStatus;
}

/** Deliveries: one per event and endpoint, each with its attempts. */
export class Deliveries {
  constructor(private readonly ctx: Context) {}

  /** An endpoint's deliveries (the API lists them per endpoint). */
  list(endpointId: string, params: ListDeliveriesParams = {}, options?: RequestOptions): PageIterator<Delivery> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/endpoints/{id}/deliveries", {
        params: { path: { id: endpointId }, query: { ...pageQuery(params, cursor), status: params.status } },
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
