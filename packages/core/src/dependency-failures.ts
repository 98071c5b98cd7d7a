/**
 * Why a dependency (Postgres, Redis) did not answer, in words: for the operator's console at start
 * (`failureReason`, the server's own message when it gave one), and for anyone who asks `/readyz`
 * (`publicFailure`, a fixed vocabulary that names no user, host or path). What each server's own
 * errors mean is said where that server is known (`describeDatabaseFailure` in @hookline/db,
 * `describeRedisFailure` in @hookline/queue).
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

/** A dependency that said nothing within its deadline. */
export class NoAnswerError extends Error {
  override readonly name = "NoAnswerError";
  constructor(timeoutMs: number) {
    super(`no answer within ${Math.round(timeoutMs / 100) / 10} s`);
  }
}

/** `work`, or NoAnswerError once `timeoutMs` have passed (the work itself is not stopped). */
export async function withinDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface Failure {
  readonly code: string | undefined;
  readonly message: string;
  readonly error: unknown;
}

/**
 * The failure to describe: Node tries every address of a host name (IPv6 and IPv4) and, when all
 * fail, reports them together; the first one says why.
 */
function unwrap(error: unknown): Failure {
  const failure = error as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  if (Array.isArray(failure?.errors) && failure.errors.length > 0) return unwrap(failure.errors[0]);
  return {
    code: typeof failure?.code === "string" ? failure.code : undefined,
    message: typeof failure?.message === "string" ? failure.message : "",
    error,
  };
}

/** The words for a failure that every dependency shares: the network's, or the deadline's. */
function commonWords({ code, error }: Failure): string | undefined {
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  if (error instanceof NoAnswerError) return error.message;
  return undefined;
}

/** A failed attempt in a few words: the network's error code in words, else the first line of its message. */
export function failureReason(error: unknown): string {
  const failure = unwrap(error);
  return commonWords(failure) ?? (failure.message.split("\n")[0]!.trim() || failure.code || String(error));
}

/**
 * What went wrong, from a fixed vocabulary: a refused or silent connection, or what `describe`
 * (the dependency's own) makes of its server's error. Never the server's message, which may name
 * the database user, a client address or a file.
 */
export function publicFailure(error: unknown, describe: (error: unknown) => string | undefined = () => undefined): string {
  const failure = unwrap(error);
  return commonWords(failure) ?? describe(failure.error) ?? "error";
}
