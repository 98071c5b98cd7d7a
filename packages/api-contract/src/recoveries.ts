import { iso } from "./timestamps.js";

/**
 * `POST /v1/endpoints/{id}/recover` (202, at once) and `GET /v1/endpoints/{id}/recoveries/{recovery_id}`:
 * a recovery of the endpoint's failed deliveries since a time, made due again in publish order
 * in the background. `recovered` grows with each batch until `status` is `completed`.
 */
export interface RecoveryResponse {
  id: string;
  endpoint_id: string;
  since: string;
  status: "running" | "completed";
  /** Failed deliveries made due again so far; the total once completed. */
  recovered: number;
  created_at: string;
  completed_at: string | null;
}

/** What the recovery presenter reads. */
export interface RecoveryRecord {
  readonly id: string;
  readonly endpointId: string;
  readonly since: Date;
  readonly status: "running" | "completed";
  readonly recovered: number;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

export function presentRecovery(recovery: RecoveryRecord): RecoveryResponse {
  return {
    id: recovery.id,
    endpoint_id: recovery.endpointId,
    since: iso(recovery.since),
    status: recovery.status,
    recovered: recovery.recovered,
    created_at: iso(recovery.createdAt),
    completed_at: iso(recovery.completedAt),
  };
}
