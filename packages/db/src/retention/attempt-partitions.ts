import pg from "pg";
import type { Database } from "../client.js";
import { dayStartDaysAgo } from "./purge.js";

/*
 * The partitions of `attempts`, one per UTC day of their deliveries' creation (see the migration
 * 20261206010000_attempts_partitioned). Workers create the coming days' partitions ahead and drop
 * a day once it is past every tenant's retention and no unfinished delivery is that old: dropping
 * a partition frees its space at once, where deleting its rows would leave dead tuples for vacuum
 * and write every row to the WAL. DDL on the parent table takes strong locks, so each change is
 * one short transaction that gives up after a few seconds (lock_timeout) rather than queueing the
 * attempts being recorded behind a long reader; the next pass tries again.
 */

const DAY_MS = 24 * 3600 * 1000;
/** Serialises the partition changes of several workers (any constant, the same in every process). */
const PARTITION_LOCK_KEY = 72_707_370;
const LOCK_TIMEOUT = "5s";

export interface AttemptPartition {
  readonly name: string;
  /** Null for MINVALUE, or for the default partition. */
  readonly from: Date | null;
  /** Null for MAXVALUE, or for the default partition. */
  readonly to: Date | null;
  readonly isDefault: boolean;
}

function utcDayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

function dayName(day: Date): string {
  return `attempts_p${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** A bound as Postgres prints it with TimeZone UTC ('2026-12-06 00:00:00+00'), or MINVALUE/MAXVALUE. */
function parseBound(bound: string): Date | null {
  const quoted = /^'(.+)'$/.exec(bound.trim())?.[1];
  if (!quoted) return null;
  return new Date(quoted.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
}

async function inTransaction<T>(db: Pick<Database, "pool">, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function listWith(client: pg.PoolClient): Promise<AttemptPartition[]> {
  const { rows } = await client.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'attempts'::regclass ORDER BY c.relname`,
  );
  return rows.map(({ name, bound }) => {
    const range = /^FOR VALUES FROM \((.+)\) TO \((.+)\)$/.exec(bound);
    return { name, from: range ? parseBound(range[1]!) : null, to: range ? parseBound(range[2]!) : null, isDefault: bound === "DEFAULT" };
  });
}

export function attemptPartitions(db: Pick<Database, "pool">): Promise<AttemptPartition[]> {
  return inTransaction(db, listWith);
}

function covers(partitions: readonly AttemptPartition[], from: Date, to: Date): boolean {
  return partitions.some(
    (p) => !p.isDefault && (p.from === null || p.from.getTime() < to.getTime()) && (p.to === null || p.to.getTime() > from.getTime()),
  );
}

/**
 * Creates the partition of every UTC day from `from`'s day through `days` days later that no
 * partition covers yet; returns the names created. Rows that landed in the default partition for
 * such a day move into it in the same transaction, so creating a partition late never fails.
 */
export async function ensureAttemptPartitions(db: Pick<Database, "pool">, options: { from?: Date; days: number }): Promise<string[]> {
  const first = utcDayStart(options.from ?? new Date());
  const created: string[] = [];
  for (let i = 0; i <= options.days; i++) {
    const from = new Date(first.getTime() + i * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS);
    const name = dayName(from);
    const made = await inTransaction(db, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK_KEY]);
      // Read under the lock: another worker may have made it a moment ago.
      if (covers(await listWith(client), from, to)) return false;
      // Made apart and attached: a partition created in place would be checked against the
      // default partition's rows for its day, and refused if there were any.
      await client.query(`CREATE TABLE "${name}" (LIKE attempts INCLUDING DEFAULTS)`);
      await client.query(
        `WITH moved AS (DELETE FROM attempts_default WHERE delivery_created_at >= $1 AND delivery_created_at < $2 RETURNING *)
         INSERT INTO "${name}" SELECT * FROM moved`,
        [from, to],
      );
      await client.query(
        `ALTER TABLE attempts ATTACH PARTITION "${name}" FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
      return true;
    });
    if (made) created.push(name);
  }
  return created;
}

/**
 * The end of history that may go: the start of the UTC day the longest retention reaches back
 * to (a tenant's own or the default), and no later than the oldest unfinished delivery, whose
 * attempts must stay however old.
 */
export async function droppableBefore(
  queryable: pg.Pool | pg.PoolClient,
  defaultDays: number,
): Promise<{ horizon: Date; oldestUnfinished: Date | null }> {
  const { rows } = await queryable.query<{ horizon: Date; oldest: Date | null }>(
    `SELECT ${dayStartDaysAgo("GREATEST($1::int, (SELECT max(retention_days) FROM tenants))")} AS horizon,
            (SELECT min(created_at) FROM deliveries WHERE status IN ('pending', 'held')) AS oldest`,
    [defaultDays],
  );
  const row = rows[0]!;
  return { horizon: row.horizon, oldestUnfinished: row.oldest };
}

/**
 * Drops every partition that ends at or before the horizon and before the oldest unfinished
 * delivery; returns the names dropped. Their deliveries are past every tenant's retention and
 * finished, so the row purge deletes those next, finding no attempts left to cascade to.
 */
export async function dropExpiredAttemptPartitions(db: Pick<Database, "pool">, defaultDays: number): Promise<string[]> {
  const dropped: string[] = [];
  const expired = (p: AttemptPartition, horizon: Date, oldest: Date | null) =>
    !p.isDefault && p.to !== null && p.to.getTime() <= horizon.getTime() && (oldest === null || p.to.getTime() <= oldest.getTime());
  const { horizon, oldestUnfinished } = await droppableBefore(db.pool, defaultDays);
  for (const partition of await attemptPartitions(db)) {
    if (!expired(partition, horizon, oldestUnfinished)) continue;
    await inTransaction(db, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK_KEY]);
      // Checked again under the lock, just before the drop: a delivery may have become pending
      // since (a recovery of old failures). Read on the transaction's own connection, under its
      // lock_timeout, rather than taking a second connection from the pool while holding this one.
      const now = await droppableBefore(client, defaultDays);
      if (!expired(partition, now.horizon, now.oldestUnfinished)) return;
      await client.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(partition.name)}`);
      dropped.push(partition.name);
    });
  }
  return dropped;
}
