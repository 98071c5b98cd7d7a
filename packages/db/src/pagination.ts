/** Keyset pagination over prefixed UUIDv7 ids, which sort in creation order. */
export interface PageRequest {
  readonly limit: number;
  /** Return items whose id sorts after this one. */
  readonly after?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** The id to pass as `after` for the next page; absent on the last page. */
  readonly nextAfter?: string | undefined;
}

/** The id condition and ordering of one page; one extra row is read to know whether more follow. */
export function pageQuery(page: PageRequest) {
  return {
    idAfter: page.after === undefined ? {} : { id: { gt: page.after } },
    take: page.limit + 1,
    orderBy: { id: "asc" as const },
  };
}

export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextAfter: items[items.length - 1]?.id };
}
