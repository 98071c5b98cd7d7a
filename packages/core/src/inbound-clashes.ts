import { inboundPathsOverlap } from "./inbound-paths.js";

/**
 * When two inbound endpoints clash: no request may ever have two endpoints to answer it.
 *
 * An endpoint without brands is served in every environment; one with brands only in the
 * environments linked to one of them. Two endpoints with the same method and overlapping paths
 * therefore clash when either has no brands, when they share a brand (paths are unique within a
 * brand, even before an environment links it), or when some environment links a brand of each.
 */
export interface RoutedEndpoint {
  readonly id: string;
  readonly path: string;
  readonly method: string;
  readonly brandIds: readonly string[];
}

export interface BrandedEnvironment {
  readonly id: string;
  readonly brandIds: readonly string[];
}

function servedTogether(a: RoutedEndpoint, b: RoutedEndpoint, environments: readonly BrandedEnvironment[]): boolean {
  if (a.brandIds.length === 0 || b.brandIds.length === 0) return true;
  if (a.brandIds.some((brand) => b.brandIds.includes(brand))) return true;
  return environments.some(
    (environment) =>
      a.brandIds.some((brand) => environment.brandIds.includes(brand)) && b.brandIds.some((brand) => environment.brandIds.includes(brand)),
  );
}

/** The first of `others` that `candidate` would clash with (itself excluded), if any. */
export function findEndpointClash(
  candidate: RoutedEndpoint,
  others: readonly RoutedEndpoint[],
  environments: readonly BrandedEnvironment[],
): RoutedEndpoint | undefined {
  return others.find(
    (other) =>
      other.id !== candidate.id &&
      other.method === candidate.method &&
      inboundPathsOverlap(other.path, candidate.path) &&
      servedTogether(candidate, other, environments),
  );
}

/** The first pair of endpoints that would clash once the environments are as given, if any. */
export function findEnvironmentClash(
  endpoints: readonly RoutedEndpoint[],
  environments: readonly BrandedEnvironment[],
): [RoutedEndpoint, RoutedEndpoint] | undefined {
  for (let i = 0; i < endpoints.length; i++) {
    const clash = findEndpointClash(endpoints[i]!, endpoints.slice(i + 1), environments);
    if (clash) return [endpoints[i]!, clash];
  }
  return undefined;
}
