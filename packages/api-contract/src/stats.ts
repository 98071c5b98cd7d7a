import type { Schema } from "ajv";
import type { EndpointStatus } from "./endpoints.js";
import { iso } from "./timestamps.js";

/** `GET /v1/stats` looks back this many minutes unless asked otherwise, and at most a day. */
export const DEFAULT_STATS_WINDOW_MINUTES = 60;
export const MAX_STATS_WINDOW_MINUTES = 1440;
/** The failing endpoints listed, longest failing first; a dashboard links to the rest. */
export const MAX_FAILING_ENDPOINTS = 20;

export interface StatsQuery {
  window_minutes?: string;
}

export const statsQuerySchema: Schema = {
  type: "object",
  properties: { window_minutes: { type: "string", pattern: "^[0-9]{1,4}$" } },
};

/** What the stats presenter reads (the database's `DeliveryStats`). */
export interface StatsRecord {
  readonly minutes: readonly { readonly minute: Date; readonly succeeded: number; readonly attempts: number }[];
  readonly endpoints: Readonly<Record<EndpointStatus, number>>;
  readonly failing: readonly {
    readonly id: string;
    readonly name: string;
    readonly url: string;
    readonly status: EndpointStatus;
    readonly failingSince: Date;
  }[];
}

/** Attempts started in one minute: `succeeded` were answered 2xx, `failed` the others (other codes, timeouts, refused connections). */
export interface MinuteStatsResponse {
  /** The minute's start. */
  minute: string;
  succeeded: number;
  failed: number;
  attempts: number;
}

export interface FailingEndpointResponse {
  id: string;
  name: string;
  url: string;
  status: EndpointStatus;
  /** Start of its current run of failed attempts. */
  failing_since: string;
}

/** `GET /v1/stats`: the tenant's delivery activity over the last `window_minutes`, and its endpoints now. */
export interface StatsResponse {
  window_minutes: number;
  /** One bucket per minute of the window, oldest first; the last is the current minute, still counting. */
  deliveries_per_minute: MinuteStatsResponse[];
  /** Succeeded attempts over all attempts of the window; null when there were none. */
  success_rate: number | null;
  /** Endpoints by status, every flavour (as `GET /v1/endpoints` lists them). */
  endpoints: { active: number; paused: number; disabled: number; inactive: number };
  /** Endpoints whose latest attempts failed (at most 20), longest failing first. */
  failing: FailingEndpointResponse[];
}

export function presentStats(stats: StatsRecord, windowMinutes: number): StatsResponse {
  let succeeded = 0;
  let attempts = 0;
  for (const minute of stats.minutes) {
    succeeded += minute.succeeded;
    attempts += minute.attempts;
  }
  return {
    window_minutes: windowMinutes,
    deliveries_per_minute: stats.minutes.map((m) => ({
      minute: iso(m.minute),
      succeeded: m.succeeded,
      failed: m.attempts - m.succeeded,
      attempts: m.attempts,
    })),
    success_rate: attempts === 0 ? null : succeeded / attempts,
    endpoints: {
      active: stats.endpoints.ACTIVE,
      paused: stats.endpoints.PAUSED,
      disabled: stats.endpoints.DISABLED,
      inactive: stats.endpoints.INACTIVE,
    },
    failing: stats.failing.map((f) => ({ id: f.id, name: f.name, url: f.url, status: f.status, failing_since: iso(f.failingSince) })),
  };
}
