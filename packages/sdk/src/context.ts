import type { Client } from "openapi-fetch";
import { HooklineError } from "./errors.js";
import type { paths } from "./generated/openapi.js";
import { nextCursor, PageIterator, type Page, type PageParams } from "./pagination.js";
import type { FetchFn } from "./transport.js";

/** The openapi-fetch client over the generated paths: every route, typed, as the API describes it. */
export type RawClient = Client<paths>;

/** Settings of one call, over the client's own. */
export interface RequestOptions {
  /** The longest one attempt may take (the client's `timeoutMs` otherwise). */
  readonly timeoutMs?: number;
  /** Retries of this call (the client's `maxRetries` otherwise). */
  readonly maxRetries?: number;
  /** Aborts the call, a wait between attempts included. */
  readonly signal?: AbortSignal;
}

/** What the resources share: the raw client, and how a call's options become openapi-fetch's. */
export interface Context {
  readonly raw: RawClient;
  init(options: RequestOptions | undefined): { fetch?: FetchFn; signal?: AbortSignal };
}

/** What openapi-fetch answers: data on success, the parsed error body otherwise, and the response. */
interface Result {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/** The data of a successful call: openapi-fetch types `data` optional, present whenever the call succeeded with a body. */
type Data<R extends Result> = NonNullable<R["data"]>;

/** The data of a successful call, or the API's error as a HooklineError. */
export async function unwrap<R extends Result>(call: Promise<R>): Promise<Data<R>> {
  return (await unwrapWithResponse(call)).data;
}

async function unwrapWithResponse<R extends Result>(call: Promise<R>): Promise<{ data: Data<R>; response: Response }> {
  const result = await call;
  if (!result.response.ok) throw HooklineError.fromResponse(result.response, result.error);
  // Undefined only for a response without a body (204), whose callers return nothing.
  return { data: result.data as Data<R>, response: result.response };
}

/** The query parameters of a page: the API reads `limit` as a string of digits. */
export function pageQuery(params: PageParams, cursor: string | undefined): { limit?: string; cursor?: string } {
  return { limit: params.limit === undefined ? undefined : String(params.limit), cursor };
}

/** A time bound of a list's query as the API takes it: an ISO date-time (a Date is converted). */
export const isoTime = (time: string | Date | undefined): string | undefined => (time instanceof Date ? time.toISOString() : time);

/** A list route as a lazy, cursor-following iterator. */
export function paginate<T>(
  params: PageParams,
  fetchPage: (cursor: string | undefined) => Promise<{ data?: T[]; error?: unknown; response: Response }>,
): PageIterator<T> {
  return new PageIterator(async (cursor): Promise<Page<T>> => {
    const { data, response } = await unwrapWithResponse(fetchPage(cursor));
    return { items: data, nextCursor: nextCursor(response.headers) };
  }, params.cursor);
}
