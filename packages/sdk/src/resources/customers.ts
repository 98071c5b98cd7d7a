import { pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type { CreateCustomerParams, Customer, UpdateCustomerParams } from "../types.js";

/** `/v1/customers`: the tenant's own customers, to whom endpoints and integrations belong. */
export class Customers {
  constructor(private readonly ctx: Context) {}

  list(params: PageParams = {}, options?: RequestOptions): PageIterator<Customer> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/customers", { params: { query: pageQuery(params, cursor) }, ...this.ctx.init(options) }),
    );
  }

  create(params: CreateCustomerParams, options?: RequestOptions): Promise<Customer> {
    return unwrap(this.ctx.raw.POST("/v1/customers", { body: params, ...this.ctx.init(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<Customer> {
    return unwrap(this.ctx.raw.GET("/v1/customers/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  update(id: string, params: UpdateCustomerParams, options?: RequestOptions): Promise<Customer> {
    return unwrap(this.ctx.raw.PATCH("/v1/customers/{id}", { params: { path: { id } }, body: params, ...this.ctx.init(options) }));
  }

  async delete(id: string, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.DELETE("/v1/customers/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }
}
