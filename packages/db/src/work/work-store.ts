import type { Database } from "../client.js";
import { batcher } from "./batcher.js";
import {
  loadDeliveryWorks,
  recordAttempt,
  recordSuccesses,
  type AttemptConsequence,
  type AttemptRecord,
  type DeliveryWork,
  type EndpointHealthRule,
  type RecordedAttempt,
} from "./delivery-work.js";

export interface WorkStore {
  load(deliveryId: string): Promise<DeliveryWork | undefined>;
  record(attempt: AttemptRecord, next: AttemptConsequence, rule: EndpointHealthRule): Promise<RecordedAttempt>;
}

/**
 * The worker's reads and writes, grouped: concurrent attempts read their deliveries in one query
 * and record their successes in one statement. Anything else (a failure, a retry, a success that
 * ends an endpoint's run of failures) takes the single transaction of recordAttempt, which also
 * keeps the endpoint's health. Every caller still waits for its own row to be committed before
 * it finishes its job, so grouping changes how many statements run, not what is guaranteed.
 */
export function createWorkStore(db: Pick<Database, "pool" | "secrets">, options: { maxBatch?: number } = {}): WorkStore {
  // Batches run on their own pooled connections; leave the rest of the pool to everything else.
  const maxConcurrent = Math.max(1, Math.floor((db.pool.options.max ?? 10) / 4));
  const maxBatch = options.maxBatch ?? 200;
  const load = batcher((ids: readonly string[]) => loadDeliveryWorks(db, ids), { maxBatch, maxConcurrent });
  const succeed = batcher((attempts: readonly AttemptRecord[]) => recordSuccesses(db.pool, attempts), { maxBatch, maxConcurrent });
  return {
    load,
    async record(attempt, next, rule) {
      if (next.status === "succeeded" && !rule.failing) return { recorded: await succeed(attempt) };
      return recordAttempt(db.pool, attempt, next, rule);
    },
  };
}
