/**
 * Paths of inbound endpoints: `/webhook/stripe`, `/orders/:id`. A segment that starts with `:`
 * is a parameter matching any one segment; every other segment matches itself exactly (case
 * included). There are no wildcards spanning segments, so two paths can only match the same
 * request if they have as many segments.
 */

export const INBOUND_PATH_MAX_LENGTH = 512;
export const INBOUND_PATH_MAX_SEGMENTS = 16;
export const INBOUND_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;
export type InboundMethod = (typeof INBOUND_METHODS)[number];

/** What a literal segment may hold: RFC 3986 unreserved characters and a few sub-delimiters. */
const LITERAL = /^[A-Za-z0-9._~!$&'()*+,;=@-]+$/;
const PARAMETER = /^:[A-Za-z_][A-Za-z0-9_]{0,63}$/;

type Segment = { readonly kind: "literal"; readonly value: string } | { readonly kind: "param"; readonly name: string };

/** Why `path` cannot be an endpoint's path, or undefined when it can. */
export function inboundPathProblem(path: string): string | undefined {
  if (path.length > INBOUND_PATH_MAX_LENGTH) return `must be at most ${INBOUND_PATH_MAX_LENGTH} characters`;
  if (!path.startsWith("/")) return "must start with a slash, like /webhook/stripe";
  const segments = path.slice(1).split("/");
  if (segments.length === 1 && segments[0] === "") return "must name at least one segment, like /webhook";
  if (segments.length > INBOUND_PATH_MAX_SEGMENTS) return `must have at most ${INBOUND_PATH_MAX_SEGMENTS} segments`;
  const names = new Set<string>();
  for (const segment of segments) {
    if (segment === "") return "must not contain empty segments (// or a trailing slash)";
    if (segment.startsWith(":")) {
      if (!PARAMETER.test(segment)) return `has an invalid parameter ${segment}: use :name with letters, digits and _`;
      if (names.has(segment)) return `names the parameter ${segment} twice`;
      names.add(segment);
    } else if (!LITERAL.test(segment)) {
      return `has an invalid segment "${segment}": letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = @ only`;
    }
  }
  return undefined;
}

function parse(path: string): Segment[] {
  return path
    .slice(1)
    .split("/")
    .map((segment) => (segment.startsWith(":") ? { kind: "param", name: segment.slice(1) } : { kind: "literal", value: segment }));
}

/**
 * True when some request path would match both: same number of segments, and at every position
 * either segment is a parameter or both are the same literal. `/orders/:id` and `/orders/latest`
 * overlap; `/orders/:id` and `/orders/:id/items` do not.
 */
export function inboundPathsOverlap(a: string, b: string): boolean {
  const left = parse(a);
  const right = parse(b);
  if (left.length !== right.length) return false;
  return left.every((segment, i) => {
    const other = right[i]!;
    return segment.kind === "param" || other.kind === "param" || segment.value === other.value;
  });
}

/** A path, compiled once, that matches request paths and reads their parameters. */
export interface InboundPathPattern {
  readonly path: string;
  match(requestPath: string): Record<string, string> | undefined;
}

/** Splits a request path into its decoded segments; undefined if it cannot be decoded. */
export function requestSegments(requestPath: string): string[] | undefined {
  const trimmed = requestPath.replace(/^\/+/, "").replace(/\/+$/, "");
  if (trimmed === "") return [];
  try {
    return trimmed.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

export function compileInboundPath(path: string): InboundPathPattern {
  const segments = parse(path);
  return {
    path,
    match(requestPath) {
      const parts = requestSegments(requestPath);
      if (!parts || parts.length !== segments.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i]!;
        if (segment.kind === "literal") {
          if (segment.value !== part) return undefined;
        } else {
          if (part === "") return undefined;
          params[segment.name] = part;
        }
      }
      return params;
    },
  };
}
