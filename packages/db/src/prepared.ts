import type pg from "pg";

/**
 * Pools that reach Postgres through a pooler in transaction mode (PgBouncer before 1.21, or with
 * `max_prepared_statements = 0`): a server connection is ours for one transaction only, so a
 * statement prepared by name on one would be missing on the next ("prepared statement … does not
 * exist"), or already there because another client prepared it ("… already exists").
 */
const sharedBetweenTransactions = new WeakSet<pg.Pool>();

/** Marks a pool whose statements must go unnamed (connectDatabase, `pooler: "transaction"`). */
export function nameNoStatements(pool: pg.Pool): void {
  sharedBetweenTransactions.add(pool);
}

/**
 * A query on the hot path as a named prepared statement: each pooled connection parses and
 * plans it once, then only binds and executes it. The name must be unique per SQL text. Behind a
 * transaction pooler the same query goes unnamed: parsed and planned at every execution, with its
 * parse, bind and execute sent together, so they reach one server connection.
 */
export function prepared<Row extends pg.QueryResultRow>(
  pool: pg.Pool,
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<Row>> {
  if (sharedBetweenTransactions.has(pool)) return pool.query<Row>({ text, values });
  return pool.query<Row>({ name, text, values });
}
