/**
 * Deadlocks and serialization failures are Postgres choosing a victim among transactions that
 * each did nothing wrong; the victim's work was rolled back whole and can simply run again. They
 * happen on this engine where an endpoint's deletion (which cascades to its deliveries, locking
 * the endpoint row first) meets a worker recording attempts (which locks delivery rows first).
 */
const PRISMA_CONFLICT = "P2034";
const SQLSTATE_CONFLICT = new Set(["40P01", "40001"]);

export function isTransientConflict(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (code === PRISMA_CONFLICT || SQLSTATE_CONFLICT.has(code))) return true;
    if (typeof message === "string" && /deadlock detected|could not serialize access/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
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
