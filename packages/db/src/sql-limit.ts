import { Prisma } from "./generated/prisma/client.js";

/**
 * A LIMIT written into a batch statement, not bound as a parameter. Every connection plans its
 * statements once, without their values (`force_generic_plan`, see client.ts), and a bound LIMIT
 * is planned as if it could be any size: the batch queries of an endpoint with ten million
 * deliveries were planned as a scan and sort of the whole table, repeated for every batch of
 * 5,000, where a written LIMIT keeps them on the (tenant, endpoint, status, seq) index
 * (docs/PERFORMANCE.md, "Seventh round").
 */
export function limitOf(rows: number): Prisma.Sql {
  return Prisma.raw(limitClause(rows));
}

/** The same LIMIT as text, for statements sent through pg rather than Prisma. */
export function limitClause(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`a batch of ${rows} rows`);
  return `LIMIT ${rows}`;
}
