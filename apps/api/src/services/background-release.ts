import type { Logger } from "@hookline/core";
import type { Recovery, TenantScope } from "@hookline/db";
import type { Scheduler } from "@hookline/queue";

/**
 * Work a request hands on after its answer. After a resume: the endpoint's held deliveries go out
 * in publish order, a batch at a time, each enqueued once committed, without holding the request. A pause of days can hold millions of
 * deliveries, which took minutes inside the PATCH; the answer is now the endpoint as resumed, and
 * the release goes on in this process. Nothing depends on this process finishing it: held
 * deliveries of an active endpoint that nobody released are what the sweeper releases (in the
 * same order), so a release cut short by a restart is finished by the workers.
 */
export function releaseHeldInBackground(scope: TenantScope, endpointId: string, scheduler: Scheduler, log: Logger): void {
  const startedAt = Date.now();
  scope.endpoints
    .releaseHeld(endpointId, (ids) => scheduler.due(ids, log))
    .then((released) => {
      if (released > 0) log.info({ endpoint_id: endpointId, released, ms: Date.now() - startedAt }, "released held deliveries");
    })
    .catch((error: unknown) =>
      log.warn({ endpoint_id: endpointId, err: (error as Error).message }, "releasing held deliveries stopped; the sweeper finishes it"),
    );
}

/**
 * A recovery's batches, after its 202: the same way as a resume's release, in publish order and
 * in this process. A recovery this process does not finish stays running with a stale
 * `updated_at`, and a worker takes it over (claimStaleRecoveries).
 */
export function runRecoveryInBackground(scope: TenantScope, recovery: Recovery, scheduler: Scheduler, log: Logger): void {
  scope.deliveries
    .runRecovery(recovery, (ids) => scheduler.due(ids, log))
    .then((done) => log.info({ recovery_id: done.id, endpoint_id: done.endpointId, recovered: done.recovered }, "recovery completed"))
    .catch((error: unknown) =>
      log.warn({ recovery_id: recovery.id, err: (error as Error).message }, "recovery stopped; a worker takes it over"),
    );
}
