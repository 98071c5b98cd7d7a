import { HooklineError } from "./errors.js";
import { backoffMs, isRepeatable, isRetriedStatus, retryDelayMs, sleep } from "./retry.js";

/** The shape of fetch openapi-fetch calls: one Request in, one Response out. */
export type FetchFn = (request: Request) => Promise<Response>;

export interface TransportOptions {
  readonly fetch: FetchFn;
  /** The longest one attempt may take, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Attempts after the first, for 429 and 503 answers and for repeatable requests that got none. */
  readonly maxRetries: number;
}

/**
 * A fetch that sends a request until it gets an answer worth returning: 429 and 503 are tried
 * again after their Retry-After (or a backoff), up to `maxRetries` times; the last answer is
 * returned whatever it is. A request without an answer becomes a HooklineError (`timeout`,
 * `aborted` or `connection_error`), tried again only when it is safe to repeat.
 */
export function createTransport(options: TransportOptions): FetchFn {
  return async (request) => {
    for (let retry = 0; ; retry++) {
      const isLast = retry >= options.maxRetries;
      let response: Response;
      try {
        // Each attempt sends a copy: a body can be read once, and the next attempt needs it again.
        response = await attempt(request.clone(), options);
      } catch (error) {
        const gaveUp = !(error instanceof HooklineError) || error.code === "aborted";
        if (isLast || gaveUp || !isRepeatable(request)) throw error;
        await pause(backoffMs(retry), request.signal);
        continue;
      }
      if (isLast || !isRetriedStatus(response.status)) return response;
      await pause(retryDelayMs(retry, response), request.signal);
    }
  };
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (reason) {
    throw aborted(reason);
  }
}

const aborted = (reason: unknown) => new HooklineError({ message: "The call was aborted.", status: 0, code: "aborted", cause: reason });

/** Statuses whose response may not carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** One attempt under its own deadline, with the whole body read inside it. */
async function attempt(request: Request, options: TransportOptions): Promise<Response> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([request.signal, deadline]);
  try {
    // Raced against the signal too, so a deadline holds even with a fetch that ignores signals.
    const response = await untilAborted(options.fetch(new Request(request, { signal })), signal);
    // Read here, not later by the caller, so a body that never finishes arriving is timed out too.
    const body = await untilAborted(response.arrayBuffer(), signal);
    const empty = NULL_BODY_STATUSES.has(response.status) || body.byteLength === 0;
    return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (error) {
    if (request.signal.aborted) throw aborted(request.signal.reason);
    if (deadline.aborted) {
      throw new HooklineError({
        message: `The API did not answer within ${options.timeoutMs} ms.`,
        status: 0,
        code: "timeout",
        cause: error,
      });
    }
    const reason = error instanceof Error ? `: ${error.message}` : "";
    throw new HooklineError({ message: `Could not reach the API${reason}.`, status: 0, code: "connection_error", cause: error });
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
