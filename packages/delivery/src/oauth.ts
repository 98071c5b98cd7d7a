import type { OAuthClientCredentials } from "@hookline/core";
import type { HttpClient } from "./http-client.js";

export type { OAuthClientCredentials } from "@hookline/core";

export type TokenResult = { readonly token: string } | { readonly error: string };

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
}

/** Tokens are refreshed this long before they expire, so none expires in flight. */
const EARLY_REFRESH_MS = 30_000;
/** Used when the token server does not say how long its token lives. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;
/** A token response larger than this is not a token response. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/**
 * OAuth 2.0 client-credentials tokens for endpoints that authenticate that way (Momentus). A
 * token is cached per credentials until shortly before it expires; `force` fetches a new one (after
 * a receiver's 401). Failures come back as an error message, never a secret. Token requests go
 * through the same guarded client as deliveries: a token URL is as untrusted as an endpoint URL.
 */
export function createTokenCache(http: HttpClient) {
  const cache = new Map<string, CachedToken>();
  const inflight = new Map<string, Promise<TokenResult>>();

  async function fetchToken(credentials: OAuthClientCredentials, timeoutMs: number, key: string): Promise<TokenResult> {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      ...(credentials.scope ? { scope: credentials.scope } : {}),
    });
    const response = await http.send({
      url: credentials.tokenUrl,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      timeoutMs,
      maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
    if (response.statusCode === undefined)
      return { error: `token request failed (${response.errorKind}): ${response.errorMessage ?? ""}`.slice(0, 300) };
    if (response.statusCode < 200 || response.statusCode >= 300) return { error: `token endpoint answered ${response.statusCode}` };
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.body ?? "") as typeof body;
    } catch {
      return { error: "token endpoint sent a body that is not JSON" };
    }
    if (typeof body.access_token !== "string" || body.access_token.length === 0) return { error: "token endpoint sent no access_token" };
    const lifetime = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    cache.set(key, { token: body.access_token, refreshAt: Date.now() + Math.max(0, lifetime - EARLY_REFRESH_MS) });
    return { token: body.access_token };
  }

  return {
    async token(credentials: OAuthClientCredentials, timeoutMs: number, options: { force?: boolean } = {}): Promise<TokenResult> {
      const key = `${credentials.tokenUrl}\u0000${credentials.clientId}\u0000${credentials.scope ?? ""}`;
      const cached = cache.get(key);
      if (!options.force && cached && cached.refreshAt > Date.now()) return { token: cached.token };
      if (options.force) cache.delete(key);
      // Concurrent deliveries to one endpoint share one token request.
      let pending = inflight.get(key);
      if (!pending) {
        pending = fetchToken(credentials, timeoutMs, key).finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      return pending;
    },
  };
}

export type TokenCache = ReturnType<typeof createTokenCache>;
