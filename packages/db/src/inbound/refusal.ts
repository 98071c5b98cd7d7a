/**
 * A change refused for a reason the caller answers (a clash, a limit), found inside a transaction:
 * thrown there to roll it back, and turned back into an answer outside.
 */
export class RefusedChange<R> extends Error {
  constructor(readonly refusal: R) {
    super("refused");
    this.name = "RefusedChange";
  }
}

/** The transaction's own result, or the refusal that rolled it back. */
export async function refusable<T, R>(transaction: Promise<T>): Promise<T | R> {
  try {
    return await transaction;
  } catch (error) {
    if (error instanceof RefusedChange) return error.refusal as R;
    throw error;
  }
}
