/** One page of a list: its items, and the cursor of the next page when there is one. */
export interface Page<T> {
  readonly items: T[];
  /** Pass it back as `cursor` for the next page; undefined on the last page. */
  readonly nextCursor: string | undefined;
}

export interface PageParams {
  /** Items per page, 1 to 100 (the API's default is 50). */
  readonly limit?: number;
  /** Where to start: a `nextCursor` of an earlier page. */
  readonly cursor?: string;
}

/** Fetches the page that starts at `cursor` (the first page when undefined). */
export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

/**
 * A list, fetched lazily a page at a time. Iterate it to visit every item across pages
 * (`for await (const endpoint of hookline.endpoints.list())`), or ask for one page with `page()`.
 * Nothing is requested until one of them is used.
 */
export class PageIterator<T> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: PageFetcher<T>,
    private readonly cursor: string | undefined,
  ) {}

  /** The first page (the one at the cursor the list was asked from). */
  page(): Promise<Page<T>> {
    return this.fetchPage(this.cursor);
  }

  /** Every page in turn, until the last. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.cursor;
    do {
      const page = await this.fetchPage(cursor);
      yield page;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item of every page, in one array: for lists known to be short. */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}

/**
 * The cursor of the next page: the API sends it in `X-Next-Cursor`, and in the `Link` header's
 * `rel="next"` URL, which is read when a proxy dropped the former.
 */
export function nextCursor(headers: Headers): string | undefined {
  const direct = headers.get("x-next-cursor");
  if (direct) return direct;
  const link = headers.get("link");
  const next = link?.split(",").find((part) => /;\s*rel="?next"?/.test(part));
  const target = next?.match(/<([^>]*)>/)?.[1];
  if (target === undefined) return undefined;
  return new URL(target, "http://relative.invalid").searchParams.get("cursor") ?? undefined;
}
