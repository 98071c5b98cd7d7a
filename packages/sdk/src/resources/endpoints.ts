import { pageQuery, paginate, unwrap, type Context, type RequestOptions } from "../context.js";
import type { PageIterator, PageParams } from "../pagination.js";
import type {
  CreateEndpointParams,
  Endpoint,
  Recovery,
  RecoverParams,
  RotatedSecret,
  RotateSecretParams,
  SendTestEventParams,
  SentTestEvent,
  UpdateEndpointParams,
} from "../types.js";

export interface ListEndpointsParams extends PageParams {
  /** Only this customer's endpoints. */
  readonly customer_id?: string;
}

/** `/v1/endpoints`: where deliveries go. */
export class Endpoints {
  constructor(private readonly ctx: Context) {}

  /** Every endpoint of the tenant (or of one customer), oldest first. */
  list(params: ListEndpointsParams = {}, options?: RequestOptions): PageIterator<Endpoint> {
    return paginate(params, (cursor) =>
      this.ctx.raw.GET("/v1/endpoints", {
        params: { query: { ...pageQuery(params, cursor), customer_id: params.customer_id } },
        ...this.ctx.init(options),
      }),
    );
  }

  /** Registers an endpoint; without a `secret`, Hookline generates one (see `secret()`). */
  create(params: CreateEndpointParams, options?: RequestOptions): Promise<Endpoint> {
    return unwrap(this.ctx.raw.POST("/v1/endpoints", { body: params, ...this.ctx.init(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<Endpoint> {
    return unwrap(this.ctx.raw.GET("/v1/endpoints/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  /** Changes only the fields given. A `secret` here replaces the old one at once; see `rotateSecret`. */
  update(id: string, params: UpdateEndpointParams, options?: RequestOptions): Promise<Endpoint> {
    return unwrap(this.ctx.raw.PATCH("/v1/endpoints/{id}", { params: { path: { id } }, body: params, ...this.ctx.init(options) }));
  }

  /** Deletes the endpoint with its subscriptions and deliveries (its events stay). */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await unwrap(this.ctx.raw.DELETE("/v1/endpoints/{id}", { params: { path: { id } }, ...this.ctx.init(options) }));
  }

  /** Holds new deliveries (stored as `held`) until the endpoint is resumed. */
  pause(id: string, options?: RequestOptions): Promise<Endpoint> {
    return this.update(id, { status: "PAUSED" }, options);
  }

  /** Makes the endpoint active again, releasing its held deliveries in publish order. */
  resume(id: string, options?: RequestOptions): Promise<Endpoint> {
    return this.update(id, { status: "ACTIVE" }, options);
  }

  /** The signing secret (`whsec_…`), for a receiver's `Webhook`. */
  async secret(id: string, options?: RequestOptions): Promise<string> {
    const { secret } = await unwrap(this.ctx.raw.GET("/v1/endpoints/{id}/secret", { params: { path: { id } }, ...this.ctx.init(options) }));
    return secret;
  }

  /** A new secret (generated unless given); the old one keeps signing for the grace period. */
  rotateSecret(id: string, params: RotateSecretParams = {}, options?: RequestOptions): Promise<RotatedSecret> {
    return unwrap(
      this.ctx.raw.POST("/v1/endpoints/{id}/secret/rotate", { params: { path: { id } }, body: params, ...this.ctx.init(options) }),
    );
  }

  /**
   * Sends again every failed delivery to the endpoint since `since`. Answers at once with the
   * recovery, which goes on in the background: `getRecovery` reads its progress, and
   * `recoverAndWait` waits for its end.
   */
  recover(id: string, params: RecoverParams, options?: RequestOptions): Promise<Recovery> {
    return unwrap(this.ctx.raw.POST("/v1/endpoints/{id}/recover", { params: { path: { id } }, body: params, ...this.ctx.init(options) }));
  }

  /** A recovery's progress: `recovered` so far, and `status` (`running`, then `completed`). */
  getRecovery(id: string, recoveryId: string, options?: RequestOptions): Promise<Recovery> {
    return unwrap(
      this.ctx.raw.GET("/v1/endpoints/{id}/recoveries/{recovery_id}", {
        params: { path: { id, recovery_id: recoveryId } },
        ...this.ctx.init(options),
      }),
    );
  }

  /** Starts a recovery and reads its progress every `pollMs` until it completes; returns it completed. */
  async recoverAndWait(id: string, params: RecoverParams, options: RequestOptions & { pollMs?: number } = {}): Promise<Recovery> {
    let recovery = await this.recover(id, params, options);
    while (recovery.status !== "completed") {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
      recovery = await this.getRecovery(id, recovery.id, options);
    }
    return recovery;
  }

  /**
   * Sends a test event to this endpoint alone, whatever it subscribes to: the type and data given,
   * or else the first subscribed type with a schema (data sampled from it), or else `hookline.test`.
   * A paused endpoint holds it until resumed.
   */
  sendTestEvent(id: string, params: SendTestEventParams = {}, options?: RequestOptions): Promise<SentTestEvent> {
    return unwrap(this.ctx.raw.POST("/v1/endpoints/{id}/test", { params: { path: { id } }, body: params, ...this.ctx.init(options) }));
  }
}
