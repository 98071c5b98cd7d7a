/**
 * Is this error Postgres being unreachable or restarting (as opposed to a bug or bad data)?
 * The API answers those with 503 and Retry-After, so clients retry instead of seeing a 500.
 */
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (PRISMA_UNAVAILABLE.has(code) || NETWORK_CODES.has(code)) return true;
      // SQLSTATE class 08 (connection exception) and 57P01-57P03 (shutdown, cannot connect now).
      if (/^08/.test(code) || /^57P0[1-3]$/.test(code)) return true;
    }
    if (typeof message === "string" && /Connection terminated|connection timeout|DatabaseNotReachable|connection error and is not queryable|terminating connection/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
