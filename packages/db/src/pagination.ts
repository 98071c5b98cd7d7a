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

/** Where the last page of a newest-first list ended: its last row's creation time and id. */
export interface NewestCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * One page newest first by (created_at, id), for lists filtered by a time window, which an index
 * on (tenant_id, created_at, id) serves in its order. The cursor stays the last id seen: `cursor`
 * is that row's creation time, looked up by the caller; `created_at <= t` bounds the index scan
 * and the OR only breaks ties within one timestamp (rows written by one statement share it). If
 * the row is gone (a deleted endpoint's delivery), ids, UUIDv7 in creation order, still say where
 * to go on.
 */
export function newestFirstQuery(page: PageRequest, cursor: NewestCursor | null) {
  const after =
    page.after === undefined
      ? []
      : cursor === null
        ? [{ id: { lt: page.after } }]
        : [{ createdAt: { lte: cursor.createdAt } }, { OR: [{ createdAt: { lt: cursor.createdAt } }, { id: { lt: cursor.id } }] }];
  return {
    after,
    take: page.limit + 1,
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
  };
}

/** A created_at window as Prisma conditions, each bound only when given. */
export function createdWithin(window: { readonly since?: Date | undefined; readonly until?: Date | undefined }) {
  return [
    ...(window.since === undefined ? [] : [{ createdAt: { gte: window.since } }]),
    ...(window.until === undefined ? [] : [{ createdAt: { lte: window.until } }]),
  ];
}
