import type pg from "pg";

/**
 * A query on the hot path as a named prepared statement: each pooled connection parses and
 * plans it once, then only binds and executes it. The name must be unique per SQL text.
 */
export function prepared<Row extends pg.QueryResultRow>(
  pool: pg.Pool,
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<Row>> {
  return pool.query<Row>({ name, text, values });
}
