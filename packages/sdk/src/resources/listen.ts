import { unwrap, type Context, type RequestOptions } from "../context.js";
import type { CreateListenParams, ListenResult, ListenSession } from "../types.js";

/**
 * `/v1/listen`: temporary endpoints whose deliveries stream to a listener (what `hookline listen`
 * uses). The stream itself (`GET /v1/listen/{id}/stream`, server-sent events) is read with fetch
 * by the listener; these are the calls around it.
 */
export class Listen {
  constructor(private readonly ctx: Context) {}

  /** A session: an endpoint created paused, subscribed to these types (every type by default). */
  create(params: CreateListenParams = {}, options?: RequestOptions): Promise<ListenSession> {
    return unwrap(this.ctx.raw.POST("/v1/listen", { body: params, ...this.ctx.init(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<ListenSession> {
    return unwrap(this.ctx.raw.GET("/v1/listen/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  /** Ends the session: its endpoint and deliveries go. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.DELETE("/v1/listen/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  /** What the listener's local URL answered to one streamed attempt: that attempt's result. */
  async report(id: string, result: ListenResult, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.POST("/v1/listen/{id}/results", { params: { path: { id } }, body: result, ...this.ctx.init(options) }));
  }
}
