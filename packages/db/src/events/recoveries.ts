import { newId } from "@hookline/core";
import type { Database, PrismaClient } from "../client.js";
import type { Recovery } from "../generated/prisma/client.js";
import { recoverFailedDeliveries, type ReleasedBatch } from "./due-again.js";

export type { Recovery } from "../generated/prisma/client.js";

/*
 * A recovery answers at once: its row is written, the caller gets it (202), and the failed
 * deliveries are made due again in the background, a batch at a time in publish order, the row's
 * count growing with each batch. A process that stops mid-way leaves the row running with an
 * `updated_at` that no longer moves; the workers take such a recovery over (claimStaleRecoveries)
 * and finish it. Running it twice is harmless: a delivery already made due is no longer failed.
 */

/** Starts a recovery of the endpoint's failed deliveries created at or after `since`; null if the tenant has no such endpoint. */
export async function startRecovery(
  prisma: PrismaClient,
  scope: { tenantId: string; endpointId: string; since: Date },
): Promise<Recovery | null> {
  const endpoint = await prisma.endpoint.findFirst({
    where: { id: scope.endpointId, tenantId: scope.tenantId, deletedAt: null },
    select: { id: true },
  });
  if (!endpoint) return null;
  return prisma.recovery.create({
    data: { id: newId("recovery"), tenantId: scope.tenantId, endpointId: scope.endpointId, since: scope.since },
  });
}

/**
 * Runs a started (or claimed) recovery to its end: each batch is made due, handed to `released`
 * (to enqueue it) and counted in the row. Returns the row as completed.
 */
export async function runRecovery(
  prisma: PrismaClient,
  recovery: Recovery,
  released: ReleasedBatch,
  batchSize?: number,
): Promise<Recovery> {
  await recoverFailedDeliveries(
    prisma,
    { tenantId: recovery.tenantId, endpointId: recovery.endpointId, since: recovery.since },
    async (ids) => {
      await released(ids);
      await prisma.recovery.update({ where: { id: recovery.id }, data: { recovered: { increment: ids.length }, updatedAt: new Date() } });
    },
    batchSize,
  );
  return prisma.recovery.update({
    where: { id: recovery.id },
    data: { status: "completed", completedAt: new Date(), updatedAt: new Date() },
  });
}

/** runRecovery for the workers, which take over recoveries whose process stopped. */
export function continueRecovery(db: Pick<Database, "prisma">, recovery: Recovery, released: ReleasedBatch): Promise<Recovery> {
  return runRecovery(db.prisma, recovery, released);
}

/** A recovery of the tenant's endpoint, by id. */
export function findRecovery(prisma: PrismaClient, scope: { tenantId: string; endpointId: string; id: string }): Promise<Recovery | null> {
  return prisma.recovery.findFirst({
    where: { id: scope.id, tenantId: scope.tenantId, endpointId: scope.endpointId, endpoint: { deletedAt: null } },
  });
}

/**
 * Running recoveries whose progress has not moved for `staleMs` (their process stopped), taken
 * over by this caller: their `updated_at` is moved to now in the same statement, so another
 * worker asking at the same moment does not take them too.
 */
export async function claimStaleRecoveries(db: Pick<Database, "pool">, staleMs: number, limit: number): Promise<Recovery[]> {
  const { rows } = await db.pool.query<{
    id: string;
    tenant_id: string;
    endpoint_id: string;
    since: Date;
    recovered: number;
    created_at: Date;
    updated_at: Date;
  }>(
    `UPDATE recoveries SET updated_at = now()
     WHERE id IN (SELECT id FROM recoveries WHERE status = 'running' AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
                  ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, tenant_id, endpoint_id, since, recovered, created_at, updated_at`,
    [staleMs, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    endpointId: row.endpoint_id,
    since: row.since,
    status: "running",
    recovered: row.recovered,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: null,
  }));
}
