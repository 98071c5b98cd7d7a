/**
 * Why a dependency (Postgres, Redis) did not answer, in words: for the operator's console at start
 * (`failureReason`, the server's own message when it gave one), and for anyone who asks `/readyz`
 * (`publicFailure`, a fixed vocabulary that names no user, host or path).
 */

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed",
};

/** A failed attempt in a few words: the network's error code in words, else the first line of its message. */
export function failureReason(error: unknown): string {
  const failure = error as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  const code = typeof failure?.code === "string" ? failure.code : undefined;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  // Node tries every address of a host name (IPv6 and IPv4); when all fail it reports them together.
  if (Array.isArray(failure?.errors) && failure.errors.length > 0) return failureReason(failure.errors[0]);
  const message = typeof failure?.message === "string" ? failure.message.split("\n")[0]!.trim() : "";
  return message || code || String(error);
}

/** SQLSTATEs and Redis error prefixes that say why, in the words `/readyz` may show anyone. */
const SQLSTATE_WORDS: readonly [RegExp, string][] = [
  [/^53300$/, "too many connections"],
  [/^53100$/, "disk full"],
  [/^53200$/, "out of memory"],
  [/^53/, "out of resources"],
  [/^57P03$/, "starting up"],
  [/^57P0[12]$/, "shutting down"],
  [/^28/, "authentication failed"],
  [/^3D000$/, "database does not exist"],
  [/^08/, "connection failure"],
];
const REDIS_WORDS: readonly [RegExp, string][] = [
  [/^OOM\b/, "out of memory"],
  [/^LOADING\b/, "loading its data"],
  [/^(WRONGPASS|NOAUTH|NOPERM)\b/, "authentication failed"],
  [/^(READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/, "not accepting writes"],
];

/**
 * What went wrong, from a fixed vocabulary: a refused or silent connection, a resource Postgres
 * ran out of, a refused password. Never the server's message, which may name the database user,
 * a client address or a file.
 */
export function publicFailure(error: unknown): string {
  const failure = error as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  const code = typeof failure?.code === "string" ? failure.code : undefined;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  if (Array.isArray(failure?.errors) && failure.errors.length > 0) return publicFailure(failure.errors[0]);
  if (code) for (const [pattern, words] of SQLSTATE_WORDS) if (pattern.test(code)) return words;
  const message = typeof failure?.message === "string" ? failure.message : "";
  for (const [pattern, words] of REDIS_WORDS) if (pattern.test(message)) return words;
  if (/^no answer within/.test(message)) return message;
  if (/too many clients|remaining connection slots/i.test(message)) return "too many connections";
  if (/No space left on device/i.test(message)) return "disk full";
  return "error";
}
