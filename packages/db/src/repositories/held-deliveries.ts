import type { Prisma } from "../generated/prisma/client.js";

/** Rows from UPDATE … RETURNING come in no particular order; this puts them in publish order. */
export function idsInPublishOrder(rows: readonly { id: string; seq: bigint }[]): string[] {
  return [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)).map((row) => row.id);
}

/**
 * Makes every held delivery of an endpoint due again, for when it becomes active once more
 * (resumed, re-enabled, or a Momentus webhook switched back on). Returns their ids in publish
 * order, for the caller to enqueue after commit.
 */
export async function releaseHeldDeliveries(tx: Pick<Prisma.TransactionClient, "$queryRaw">, endpointId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string; seq: bigint }[]>`
    UPDATE deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
    WHERE endpoint_id = ${endpointId} AND status = 'held'
    RETURNING id, seq`;
  return idsInPublishOrder(rows);
}
