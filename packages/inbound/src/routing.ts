import { compileInboundPath, environmentKeyMatches, type InboundPathPattern } from "@hookline/core";
import type { InboundRoutes, ServedEndpoint } from "@hookline/db";

/**
 * Which endpoint answers a call. Endpoints served in one environment never overlap (clashes are
 * refused when they are created), so at most one matches a path and method; when the path
 * matches only endpoints of other methods, the answer is 405 with those methods.
 */
export type RouteMatch =
  | { readonly outcome: "matched"; readonly endpoint: ServedEndpoint; readonly params: Record<string, string> }
  | { readonly outcome: "wrong_method"; readonly allowed: string[] }
  | { readonly outcome: "no_endpoint" };

/** Compiled patterns by path; the set of paths a process sees is small and paths are immutable strings. */
const patterns = new Map<string, InboundPathPattern>();
const MAX_PATTERNS = 10_000;

function patternOf(path: string): InboundPathPattern {
  let pattern = patterns.get(path);
  if (!pattern) {
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    pattern = compileInboundPath(path);
    patterns.set(path, pattern);
  }
  return pattern;
}

export function matchRoute(routes: InboundRoutes, method: string, requestPath: string): RouteMatch {
  const allowed: string[] = [];
  for (const endpoint of routes.endpoints) {
    const params = patternOf(endpoint.path).match(requestPath);
    if (!params) continue;
    if (endpoint.method === method) return { outcome: "matched", endpoint, params };
    allowed.push(endpoint.method);
  }
  return allowed.length > 0 ? { outcome: "wrong_method", allowed: [...new Set(allowed)].sort() } : { outcome: "no_endpoint" };
}

/**
 * Whether the key a caller sent opens the endpoint: `secret_key` endpoints need the secret key,
 * `public_key` ones the public or the secret key, `none` nothing. Both digests are always
 * compared, in constant time, so timing tells nothing about which key was close.
 */
export function keyOpens(accessLevel: ServedEndpoint["accessLevel"], presented: string | undefined, routes: InboundRoutes): boolean {
  if (accessLevel === "none") return true;
  if (presented === undefined || presented.length === 0 || presented.length > 256) return false;
  const secret = environmentKeyMatches(presented, routes.secretKeyHash);
  const isPublic = environmentKeyMatches(presented, routes.publicKeyHash);
  return accessLevel === "secret_key" ? secret : secret || isPublic;
}
