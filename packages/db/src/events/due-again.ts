import type { PrismaClient } from "../client.js";
import { retryOnConflict } from "../database-errors.js";
import { limitOf } from "../sql-limit.js";

/*
 * Deliveries made due again after they stopped: held ones when their endpoint is active once
 * more, failed ones when an operator recovers them. Both go in batches, for the same reason.
 */

/** Rows from UPDATE … RETURNING come in no particular order; this puts them in publish order. */
export function idsInPublishOrder(rows: readonly { id: string; seq: bigint }[]): string[] {
  return [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)).map((row) => row.id);
}

/** Deliveries made due again per statement. */
export const RELEASE_BATCH = 5_000;

type Queryable = Pick<PrismaClient, "$queryRaw">;
/** Called with each batch's ids, in publish order, once the batch is committed (to enqueue them). */
export type ReleasedBatch = (deliveryIds: string[]) => Promise<unknown>;

/**
 * Makes an endpoint's deliveries due again a batch at a time, oldest first: `find` picks the next
 * `limit` (through the (tenant_id, endpoint_id, status, seq) index), `update` makes those due by
 * primary key, re-checking each row, so a delivery that changed meanwhile is skipped. Each batch
 * is its own statement and is handed to `released` before the next. Stops when a batch is short,
 * or when nothing of a full batch could be updated (the endpoint changed meanwhile).
 */
async function dueInBatches(
  find: (limit: number) => Promise<{ id: string }[]>,
  update: (ids: string[]) => Promise<{ id: string; seq: bigint }[]>,
  released: ReleasedBatch,
  batchSize: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await find(batchSize);
    if (batch.length === 0) return total;
    const rows = await retryOnConflict(() => update(batch.map((row) => row.id)));
    total += rows.length;
    if (rows.length > 0) await released(idsInPublishOrder(rows));
    if (batch.length < batchSize || rows.length === 0) return total;
  }
}

/**
 * Makes every held delivery of an endpoint due again, for when it becomes active once more
 * (resumed, re-enabled, or a Momentus webhook switched back on), in batches; stops if the endpoint
 * is paused again meanwhile. Returns how many it released.
 *
 * One statement for all of them, inside the transaction that changed the endpoint's status, took
 * 13.7 s for 500,000 held deliveries, outlived Prisma's 5 s limit on an interactive transaction
 * and rolled the resume back: an endpoint paused long enough could never be resumed. A release
 * cut short (the process died between batches) leaves held deliveries behind an active endpoint;
 * the sweeper releases those (see `releaseStrandedHeldDeliveries`).
 */
export function releaseHeldDeliveries(
  prisma: Queryable,
  scope: { tenantId: string; endpointId: string },
  released: ReleasedBatch,
  batchSize = RELEASE_BATCH,
): Promise<number> {
  const { tenantId, endpointId } = scope;
  return dueInBatches(
    (limit) => prisma.$queryRaw`
      SELECT id FROM deliveries WHERE endpoint_id = ${endpointId} AND status = 'held' AND tenant_id = ${tenantId}
      ORDER BY seq ${limitOf(limit)}`,
    (ids) => prisma.$queryRaw`
      UPDATE deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
      WHERE id = ANY(${ids}::text[]) AND endpoint_id = ${endpointId} AND status = 'held'
        AND EXISTS (SELECT 1 FROM endpoints WHERE id = ${endpointId} AND status = 'ACTIVE' AND deleted_at IS NULL)
      RETURNING id, seq`,
    released,
    batchSize,
  );
}

/**
 * Makes every failed delivery of an endpoint created at or after `since` due again (a recovery
 * once the receiver is fixed), in batches, so that days of failures neither lock every row in
 * one statement nor come back to the API as one list of ids. Returns how many it recovered.
 */
export function recoverFailedDeliveries(
  prisma: Queryable,
  scope: { tenantId: string; endpointId: string; since: Date },
  released: ReleasedBatch,
  batchSize = RELEASE_BATCH,
): Promise<number> {
  const { tenantId, endpointId, since } = scope;
  return dueInBatches(
    (limit) => prisma.$queryRaw`
      SELECT id FROM deliveries
      WHERE endpoint_id = ${endpointId} AND status = 'failed' AND tenant_id = ${tenantId} AND created_at >= ${since}
      ORDER BY seq ${limitOf(limit)}`,
    (ids) => prisma.$queryRaw`
      UPDATE deliveries SET status = 'pending', next_attempt_at = now(), completed_at = NULL, updated_at = now()
      WHERE id = ANY(${ids}::text[]) AND endpoint_id = ${endpointId} AND status = 'failed'
      RETURNING id, seq`,
    released,
    batchSize,
  );
}
