/**
 * What kind of database failure an error is, whichever layer threw it (Prisma, pg, or a wrapper
 * that keeps the original as `cause`), and what to do about the kinds that pass.
 */

/** Does `test` hold for the error or one of its causes (a few levels deep)? */
function inCauseChain(error: unknown, test: (code: string | undefined, message: string | undefined) => boolean): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (test(typeof code === "string" ? code : undefined, typeof message === "string" ? message : undefined)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * Is this error Postgres being unreachable, restarting or out of a resource (as opposed to a bug
 * or bad data)? The API answers those with 503 and Retry-After, so clients retry instead of
 * seeing a 500. Out of a resource is SQLSTATE class 53: every connection slot taken (53300), the
 * disk full (53100), out of memory (53200); the statement failed whole and changed nothing.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return inCauseChain(error, (code, message) => {
    if (code !== undefined) {
      if (PRISMA_UNAVAILABLE.has(code) || NETWORK_CODES.has(code)) return true;
      // SQLSTATE class 08 (connection exception), 53 (insufficient resources) and 57P01-57P03
      // (shutdown, cannot connect now).
      if (/^08/.test(code) || /^53/.test(code) || /^57P0[1-3]$/.test(code)) return true;
    }
    return (
      message !== undefined &&
      /Connection terminated|connection timeout|DatabaseNotReachable|connection error and is not queryable|terminating connection|too many clients|remaining connection slots|No space left on device/i.test(
        message,
      )
    );
  });
}

/**
 * Postgres's SQLSTATE classes: a digit and a digit or letter (08, 3D, 2B…), or F0, HV, P0, XX; not
 * a network code such as EPIPE.
 */
const SQLSTATE = /^(?:[0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;

/** The SQLSTATE of a Postgres error, or of one of its causes. */
export function sqlState(error: unknown): string | undefined {
  let found: string | undefined;
  inCauseChain(error, (code) => {
    if (code !== undefined && SQLSTATE.test(code)) found = code;
    return found !== undefined;
  });
  return found;
}

/** What SQLSTATEs and messages say, in the words `/readyz` may show anyone. */
const FAILURE_WORDS: readonly [RegExp, string][] = [
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

/**
 * Why Postgres refused, from a fixed vocabulary (for publicFailure in @hookline/core): never its
 * message, which may name the database user, a client address or a file.
 */
export function describeDatabaseFailure(error: unknown): string | undefined {
  const code = sqlState(error);
  if (code !== undefined) return FAILURE_WORDS.find(([pattern]) => pattern.test(code))?.[1];
  if (inCauseChain(error, (_, message) => message !== undefined && /too many clients|remaining connection slots/i.test(message)))
    return "too many connections";
  if (inCauseChain(error, (_, message) => message !== undefined && /No space left on device/i.test(message))) return "disk full";
  return undefined;
}

/**
 * A foreign key refused the row: it names something its tenant does not have (a customer of
 * another tenant, or one deleted meanwhile). The tenant-scoped keys make this the check itself.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  return inCauseChain(error, (code) => code === "P2003" || code === "23503");
}

const PRISMA_CONFLICT = "P2034";
const SQLSTATE_CONFLICT = new Set(["40P01", "40001"]);

/**
 * Deadlocks and serialization failures are Postgres choosing a victim among transactions that
 * each did nothing wrong; the victim's work was rolled back whole and can simply run again. They
 * can happen on this engine where an endpoint's deletion, locking a batch of its deliveries,
 * meets a worker's group commit locking several of the same deliveries in another order.
 */
export function isTransientConflict(error: unknown): boolean {
  return inCauseChain(
    error,
    (code, message) =>
      (code !== undefined && (code === PRISMA_CONFLICT || SQLSTATE_CONFLICT.has(code))) ||
      (message !== undefined && /deadlock detected|could not serialize access/i.test(message)),
  );
}

/**
 * Runs `work` (one whole transaction or one statement) and runs it again, after a short jittered
 * pause, when Postgres picked it as a deadlock or serialization victim; other errors, and the
 * last conflict, propagate.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20 * attempt));
    }
  }
}
