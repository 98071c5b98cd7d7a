import type { Config } from "@hookline/config";
import {
  createAddressPolicy,
  createHttpClient,
  createTokenCache,
  type HttpClient,
  type Resolver,
  type TokenCache,
} from "@hookline/delivery";

export interface OutboundOptions {
  /** Replaces the system resolver; tests use it to play DNS tricks on the SSRF guard. */
  readonly resolve?: Resolver | undefined;
}

/**
 * Everything that makes requests to tenant-supplied URLs: webhook deliveries and OAuth token
 * requests, both behind the SSRF guard built from ALLOW_PRIVATE_TARGETS.
 */
export function createOutbound(config: Config, options: OutboundOptions = {}): { http: HttpClient; tokens: TokenCache } {
  const http = createHttpClient({
    maxBodyBytes: config.delivery.responseBodyMaxBytes,
    // Many endpoints can share a host; the per-endpoint cap and the worker's concurrency bound
    // the requests in flight, so the agent must not queue them behind a smaller socket limit.
    maxSocketsPerHost: config.delivery.concurrency,
    policy: createAddressPolicy(config.delivery.allowPrivateTargets),
    ...(options.resolve && { resolve: options.resolve }),
  });
  return { http, tokens: createTokenCache(http) };
}
