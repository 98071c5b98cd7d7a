/**
 * Event types are dotted names such as `entity.updated` or `endpoint.disabled`. Subscriptions
 * name types or patterns in which `*` stands for exactly one segment (`payment.*`).
 */
const SEGMENT = /^[a-z0-9_-]+$/i;
export const EVENT_TYPE_MAX_LENGTH = 128;
/** Keeps the set of patterns that can match one type small (2^segments); see eventTypeCandidates. */
export const EVENT_TYPE_MAX_SEGMENTS = 6;

export function eventTypeProblem(name: string, allowWildcards: boolean): string | undefined {
  if (name.length === 0 || name.length > EVENT_TYPE_MAX_LENGTH) {
    return `must be 1 to ${EVENT_TYPE_MAX_LENGTH} characters`;
  }
  const segments = name.split(".");
  if (segments.length < 2) return "must have the form object.action, like entity.updated";
  if (segments.length > EVENT_TYPE_MAX_SEGMENTS) return `must have at most ${EVENT_TYPE_MAX_SEGMENTS} segments`;
  for (const segment of segments) {
    if (segment === "*" && allowWildcards) continue;
    if (!SEGMENT.test(segment)) {
      return allowWildcards
        ? "segments must be letters, digits, _ or -, or a lone * matching one segment"
        : "segments must be letters, digits, _ or -";
    }
  }
  return undefined;
}

export function matchesEventType(pattern: string, eventType: string): boolean {
  if (pattern === eventType) return true;
  const want = pattern.split(".");
  const have = eventType.split(".");
  if (want.length !== have.length) return false;
  return want.every((segment, i) => segment === "*" || segment === have[i]);
}

/**
 * Every subscription entry that matches `eventType`: the type itself and each way of replacing
 * segments by `*`. Fan-out then asks Postgres for subscriptions whose list overlaps this set,
 * which a GIN index answers without scanning the tenant's subscriptions.
 */
export function eventTypeCandidates(eventType: string): string[] {
  const segments = eventType.split(".");
  const out: string[] = [];
  for (let mask = 0; mask < 1 << segments.length; mask++) {
    out.push(segments.map((segment, i) => (mask & (1 << i) ? "*" : segment)).join("."));
  }
  return out;
}
