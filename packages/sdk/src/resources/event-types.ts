import { pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type { CreateEventTypeParams, EventType, UpdateEventTypeParams } from "../types.js";

/** `/v1/event_types`: the registry of event types, each optionally with a JSON Schema for its data. */
export class EventTypes {
  constructor(private readonly ctx: Context) {}

  list(params: PageParams = {}, options?: RequestOptions): PageIterator<EventType> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/event_types", { params: { query: pageQuery(params, cursor) }, ...this.ctx.init(options) }),
    );
  }

  create(params: CreateEventTypeParams, options?: RequestOptions): Promise<EventType> {
    return unwrap(this.ctx.raw.POST("/v1/event_types", { body: params, ...this.ctx.init(options) }));
  }

  get(name: string, options?: RequestOptions): Promise<EventType> {
    return unwrap(this.ctx.raw.GET("/v1/event_types/{name}", { params: { path: { name } }, ...this.ctx.init(options) }));
  }

  update(name: string, params: UpdateEventTypeParams, options?: RequestOptions): Promise<EventType> {
    return unwrap(this.ctx.raw.PATCH("/v1/event_types/{name}", { params: { path: { name } }, body: params, ...this.ctx.init(options) }));
  }

  async delete(name: string, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.DELETE("/v1/event_types/{name}", { params: { path: { name } }, ...this.ctx.init(options) }));
  }
}
