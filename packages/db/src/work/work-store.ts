import type { WorkStore } from "@hookline/core";
import type { Database } from "../client.js";
import { batcher } from "../batcher.js";
import { holdDelivery, loadDeliveryWorks } from "./load-deliveries.js";
import { recordAttempt, recordAttempts, type AttemptOutcomeRecord } from "./record-attempts.js";

/**
 * The delivery engine's work store on Postgres, grouped: concurrent attempts read their
 * deliveries in one query and record their outcomes (successes, retries, failures) in one
 * statement. An attempt that changes its endpoint's health (the first failure of a run, the
 * success that ends one, a disabling) takes the single transaction of recordAttempt, which also
 * writes the endpoint row; so a failing endpoint's attempts do not queue on its row lock one
 * transaction at a time. Every caller still waits for its own row to be committed before it
 * finishes its job, so grouping changes how many statements run, not what is guaranteed.
 */
export function createWorkStore(db: Pick<Database, "pool" | "secrets">, options: { maxBatch?: number } = {}): WorkStore {
  // Batches run on their own pooled connections; leave the rest of the pool to everything else.
  const maxConcurrent = Math.max(1, Math.floor((db.pool.options.max ?? 10) / 4));
  const maxBatch = options.maxBatch ?? 200;
  const load = batcher((ids: readonly string[]) => loadDeliveryWorks(db, ids), { maxBatch, maxConcurrent });
  const recordQuietly = batcher((items: readonly AttemptOutcomeRecord[]) => recordAttempts(db.pool, items), { maxBatch, maxConcurrent });
  return {
    load,
    hold: (deliveryId) => holdDelivery(db.pool, deliveryId),
    async record(attempt, next, health, endpointId) {
      if (health.kind === "none") return { recorded: await recordQuietly({ attempt, next }) };
      return recordAttempt(db.pool, attempt, next, health, endpointId);
    },
  };
}
