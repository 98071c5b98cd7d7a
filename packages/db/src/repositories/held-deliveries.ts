import type { PrismaClient } from "../client.js";
import { retryOnConflict } from "../database-errors.js";

/** Rows from UPDATE … RETURNING come in no particular order; this puts them in publish order. */
export function idsInPublishOrder(rows: readonly { id: string; seq: bigint }[]): string[] {
  return [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)).map((row) => row.id);
}

/** Held deliveries made due again per statement. */
export const RELEASE_BATCH = 5_000;

/**
 * Makes every held delivery of an endpoint due again, for when it becomes active once more
 * (resumed, re-enabled, or a Momentus webhook switched back on): the oldest `batchSize` first,
 * each batch its own statement, and `released` is called with each batch's ids in publish order
 * once it is committed, for the caller to enqueue before the next. Returns how many it released.
 *
 * One statement for all of them, inside the transaction that changed the endpoint's status, took
 * 13.7 s for 500,000 held deliveries, outlived Prisma's 5 s limit on an interactive transaction
 * and rolled the resume back: an endpoint paused long enough could never be resumed. A release
 * cut short (the process died between batches) leaves held deliveries behind an active endpoint;
 * the sweeper releases those (see `releaseStrandedHeldDeliveries`).
 */
export async function releaseHeldDeliveries(
  prisma: Pick<PrismaClient, "$queryRaw">,
  endpointId: string,
  released: (deliveryIds: string[]) => Promise<void>,
  batchSize = RELEASE_BATCH,
): Promise<number> {
  let total = 0;
  for (;;) {
    // The batch is found through the endpoint's (endpoint_id, status, seq) index, then updated by
    // primary key: the update re-checks each row, so a delivery that changed meanwhile is skipped,
    // and stops releasing if the endpoint was paused again meanwhile.
    const batch = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM deliveries WHERE endpoint_id = ${endpointId} AND status = 'held' ORDER BY seq LIMIT ${batchSize}`;
    if (batch.length === 0) return total;
    const ids = batch.map((row) => row.id);
    const rows = await retryOnConflict(
      () => prisma.$queryRaw<{ id: string; seq: bigint }[]>`
        UPDATE deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
        WHERE id = ANY(${ids}::text[]) AND endpoint_id = ${endpointId} AND status = 'held'
          AND EXISTS (SELECT 1 FROM endpoints WHERE id = ${endpointId} AND status = 'ACTIVE')
        RETURNING id, seq`,
    );
    total += rows.length;
    if (rows.length > 0) await released(idsInPublishOrder(rows));
    if (batch.length < batchSize || rows.length === 0) return total;
  }
}
