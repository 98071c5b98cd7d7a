import { createAddressPolicy } from "./address-policy.js";
import { createHttpClient, type HttpClient, type Resolver } from "./http-client.js";
import { createTokenCache, type TokenCache } from "./oauth.js";

export interface OutboundOptions {
  /** Response bytes kept in the attempt log. */
  readonly responseBodyMaxBytes: number;
  /** Requests one process may have in flight (its delivery concurrency). */
  readonly maxInFlight: number;
  /** Private addresses (IPs or CIDRs) that requests may reach anyway (ALLOW_PRIVATE_TARGETS). */
  readonly allowPrivateTargets: readonly string[];
  /** Replaces the system resolver; tests use it to play DNS tricks on the SSRF guard. */
  readonly resolve?: Resolver | undefined;
}

/**
 * Everything that makes requests to tenant-supplied URLs: webhook deliveries and OAuth token
 * requests, both behind the SSRF guard built from the allowed private targets.
 */
export function createOutbound(options: OutboundOptions): { http: HttpClient; tokens: TokenCache } {
  const http = createHttpClient({
    maxBodyBytes: options.responseBodyMaxBytes,
    // Many endpoints can share a host; the per-endpoint cap and the process's concurrency bound
    // the requests in flight, so the agent must not queue them behind a smaller socket limit.
    maxSocketsPerHost: options.maxInFlight,
    policy: createAddressPolicy(options.allowPrivateTargets),
    ...(options.resolve && { resolve: options.resolve }),
  });
  return { http, tokens: createTokenCache(http) };
}
