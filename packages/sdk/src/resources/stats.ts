import { unwrap, type Context, type RequestOptions } from "../context.js";
import type { StatsOverview } from "../types.js";

/** `/v1/stats`: a dashboard's overview. */
export class Stats {
  constructor(private readonly ctx: Context) {}

  /**
   * Attempts per minute over the last `windowMinutes` (60 by default, at most 1440), the success
   * rate, endpoints by status and the ones failing now.
   */
  get(params: { readonly windowMinutes?: number } = {}, options?: RequestOptions): Promise<StatsOverview> {
    const query = { window_minutes: params.windowMinutes === undefined ? undefined : String(params.windowMinutes) };
    return unwrap(this.ctx.raw.GET("/v1/stats", { params: { query }, ...this.ctx.init(options) }));
  }
}
