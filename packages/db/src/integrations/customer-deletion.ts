import type { PrismaClient } from "../client.js";
import { deleteEndpoint, PURGE_BATCH } from "../endpoints/endpoint-deletion.js";
import { retryOnConflict } from "../database-errors.js";
import { limitOf } from "../sql-limit.js";

/**
 * Deletes a customer with everything that is only theirs: its endpoints (each the way an
 * endpoint is deleted, its deliveries a batch at a time, see endpoint-deletion.ts), then the
 * events published for it, `batchSize` at a time (their deliveries went with the endpoints,
 * since a customer's events fan out to its endpoints only; any left, to an endpoint moved to
 * another customer since, go with their event), then the customer and its instances. Each step is
 * its own short transaction, so a customer with years of events neither holds a lock on all of
 * them nor outlives a transaction's limit; a deletion cut short leaves the customer with less,
 * and deleting it again finishes the job. The keys' cascades are the net for what was created
 * meanwhile.
 */
export async function deleteCustomerData(
  prisma: PrismaClient,
  tenantId: string,
  customerId: string,
  batchSize = PURGE_BATCH,
): Promise<void> {
  const endpoints = await prisma.endpoint.findMany({ where: { tenantId, customerId }, select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of endpoints) await deleteEndpoint(prisma, { id, tenantId }, batchSize);

  for (;;) {
    const deleted = await retryOnConflict(
      () => prisma.$executeRaw`
        DELETE FROM events WHERE id IN (
          SELECT id FROM events WHERE tenant_id = ${tenantId} AND customer_id = ${customerId} ${limitOf(batchSize)})`,
    );
    if (deleted < batchSize) break;
  }

  await prisma.customer.deleteMany({ where: { id: customerId, tenantId } });
}
