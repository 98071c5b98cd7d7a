import type { Database, PrismaClient } from "../client.js";
import type { Endpoint } from "../generated/prisma/client.js";
import { retryOnConflict } from "../database-errors.js";
import { limitOf } from "../sql-limit.js";

/** Deliveries removed per statement while an endpoint is deleted. */
export const PURGE_BATCH = 5_000;

export interface EndpointToDelete {
  readonly id: string;
  readonly tenantId: string;
  /** Only an endpoint of this flavour (the Monite and Momentus APIs delete only their own). */
  readonly flavour?: Endpoint["flavour"] | undefined;
}

/**
 * What DELETE does, for every API flavour (one engine, one way to delete): in one short
 * transaction, marks the endpoint deleted, frees its unique name and removes its subscriptions
 * (which also changes the tenant's routing version, so no publish routes to it any more). Every
 * lookup skips a marked endpoint from its commit; the workers then delete its deliveries in the
 * background (purgeDeletedEndpoints). Returns false when the tenant has no such endpoint, or it
 * is already deleted. It locks only the endpoint row: a worker recording an attempt, which holds
 * a delivery and then takes the endpoint row, waits for it or it for the worker, never a cycle.
 */
export async function markEndpointDeleted(prisma: PrismaClient, endpoint: EndpointToDelete): Promise<boolean> {
  const where = {
    id: endpoint.id,
    tenantId: endpoint.tenantId,
    deletedAt: null,
    ...(endpoint.flavour ? { flavour: endpoint.flavour } : {}),
  };
  return retryOnConflict(() =>
    prisma.$transaction(async (tx) => {
      const { count } = await tx.endpoint.updateMany({ where, data: { deletedAt: new Date(), uniqueName: null } });
      if (count === 0) return false;
      await tx.subscription.deleteMany({ where: { endpointId: endpoint.id, tenantId: endpoint.tenantId } });
      return true;
    }),
  );
}

/**
 * The background half of a deletion: endpoints marked deleted, oldest first, at most `limit`
 * per call, each with its deliveries and their attempts (deleteEndpoint); returns how many went.
 */
export async function purgeDeletedEndpoints(db: Pick<Database, "prisma">, options: { limit: number; batchSize?: number }): Promise<number> {
  const { prisma } = db;
  const marked = await prisma.endpoint.findMany({
    where: { deletedAt: { not: null } },
    select: { id: true, tenantId: true },
    orderBy: { deletedAt: "asc" },
    take: options.limit,
  });
  let purged = 0;
  for (const endpoint of marked) if (await deleteEndpoint(prisma, endpoint, options.batchSize)) purged++;
  return purged;
}

/**
 * Deletes an endpoint with its deliveries and their attempts: the background half of a
 * deletion, and a customer's deletion. Returns false, having touched nothing, when the tenant has no such endpoint.
 *
 * The deliveries go first, `batchSize` at a time, each batch its own short transaction. As one
 * transaction, the deletion of an endpoint with many deliveries locked all of them at once and
 * outlived Prisma's 5 s limit on an interactive transaction: 500,000 deliveries (each with an
 * attempt) failed with P2028 after 6.6 s, which the API renders as a 500, and nothing was
 * deleted. In batches the same endpoint went in 13 s, each batch holding at most 5,000 rows, for
 * about 130 ms on average. Each batch, and the last transaction, lock deliveries before the
 * endpoint row, in id order, the order a worker recording an attempt takes them in (delivery,
 * then endpoint): deleting the endpoint first would hold its row while the cascade waited for a
 * delivery a worker holds, and that worker would then wait for the endpoint row, a deadlock.
 * Conflicts that remain (a group commit locking several of these deliveries in another order)
 * are retried. A deletion cut short (the database went away) leaves the endpoint with fewer
 * deliveries, never deliveries without their endpoint; deleting it again finishes the job.
 */
export async function deleteEndpoint(prisma: PrismaClient, endpoint: EndpointToDelete, batchSize = PURGE_BATCH): Promise<boolean> {
  const where = { id: endpoint.id, tenantId: endpoint.tenantId, ...(endpoint.flavour ? { flavour: endpoint.flavour } : {}) };
  if ((await prisma.endpoint.count({ where })) === 0) return false;

  for (;;) {
    // Any batch of the endpoint's deliveries, found through its index; then, by primary key, those
    // rows locked in id order and deleted, in one short transaction. (One statement that picked,
    // locked and deleted a batch was planned as a scan of the whole table per batch.)
    const batch = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM deliveries WHERE endpoint_id = ${endpoint.id} AND tenant_id = ${endpoint.tenantId} ${limitOf(batchSize)}`;
    const ids = batch.map((row) => row.id);
    if (ids.length > 0) {
      await retryOnConflict(() =>
        prisma.$transaction([
          prisma.$queryRaw`SELECT count(*) FROM (
            SELECT 1 FROM deliveries WHERE id = ANY(${ids}::text[]) AND endpoint_id = ${endpoint.id} ORDER BY id FOR UPDATE) AS locked`,
          prisma.$executeRaw`DELETE FROM deliveries WHERE id = ANY(${ids}::text[]) AND endpoint_id = ${endpoint.id}`,
        ]),
      );
    }
    // A short batch means the rest (what was published meanwhile) fits the last transaction.
    if (ids.length < batchSize) break;
  }

  const { count } = await retryOnConflict(() =>
    prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT count(*) FROM (
        SELECT 1 FROM deliveries WHERE endpoint_id = ${endpoint.id} AND tenant_id = ${endpoint.tenantId} ORDER BY id FOR UPDATE) AS locked`;
      return tx.endpoint.deleteMany({ where });
    }),
  );
  return count > 0;
}
