import { pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type { CreateSubscriptionParams, Subscription, UpdateSubscriptionParams } from "../types.js";

export interface ListSubscriptionsParams extends PageParams {
  /** Only this endpoint's subscriptions. */
  readonly endpoint_id?: string;
}

/** `/v1/subscriptions`: which event types an endpoint receives (`*` matches one segment). */
export class Subscriptions {
  constructor(private readonly ctx: Context) {}

  list(params: ListSubscriptionsParams = {}, options?: RequestOptions): PageIterator<Subscription> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/subscriptions", {
        params: { query: { ...pageQuery(params, cursor), endpoint_id: params.endpoint_id } },
        ...this.ctx.init(options),
      }),
    );
  }

  create(params: CreateSubscriptionParams, options?: RequestOptions): Promise<Subscription> {
    return unwrap(this.ctx.raw.POST("/v1/subscriptions", { body: params, ...this.ctx.init(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<Subscription> {
    return unwrap(this.ctx.raw.GET("/v1/subscriptions/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  update(id: string, params: UpdateSubscriptionParams, options?: RequestOptions): Promise<Subscription> {
    return unwrap(this.ctx.raw.PATCH("/v1/subscriptions/{id}", { params: { path: { id } }, body: params, ...this.ctx.init(options) }));
  }

  async delete(id: string, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.DELETE("/v1/subscriptions/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }
}
