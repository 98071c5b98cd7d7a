import { pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type {
  CreateInboundEndpointParams,
  ExecutionOutcome,
  InboundEndpoint,
  InboundExecution,
  UpdateInboundEndpointParams,
} from "../types.js";

export interface ListExecutionsParams extends PageParams {
  readonly outcome?: ExecutionOutcome;
  readonly environment_id?: string;
}

/**
 * `/v1/inbound_endpoints`: URLs other systems call, each answered by a workflow. The workflow's
 * own routes (versions, publish, preview) are on `hookline.raw`.
 */
export class Inbound {
  constructor(private readonly ctx: Context) {}

  list(params: PageParams = {}, options?: RequestOptions): PageIterator<InboundEndpoint> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/inbound_endpoints", { params: { query: pageQuery(params, cursor) }, ...this.ctx.init(options) }),
    );
  }

  create(params: CreateInboundEndpointParams, options?: RequestOptions): Promise<InboundEndpoint> {
    return unwrap(this.ctx.raw.POST("/v1/inbound_endpoints", { body: params, ...this.ctx.init(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<InboundEndpoint> {
    return unwrap(this.ctx.raw.GET("/v1/inbound_endpoints/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  update(id: string, params: UpdateInboundEndpointParams, options?: RequestOptions): Promise<InboundEndpoint> {
    return unwrap(this.ctx.raw.PATCH("/v1/inbound_endpoints/{id}", { params: { path: { id } }, body: params, ...this.ctx.init(options) }));
  }

  /** Deletes the endpoint with its workflow versions and executions. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.DELETE("/v1/inbound_endpoints/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  /** The endpoint's executions (one per call), newest first. */
  executions(id: string, params: ListExecutionsParams = {}, options?: RequestOptions): PageIterator<InboundExecution> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/inbound_endpoints/{id}/executions", {
        params: {
          path: { id },
          query: { ...pageQuery(params, cursor), outcome: params.outcome, environment_id: params.environment_id },
        },
        ...this.ctx.init(options),
      }),
    );
  }
}
