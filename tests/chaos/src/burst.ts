import type { QueueRedis } from "@hookline/testing";
import { report, type Cluster, type Verdict } from "./cluster.js";

export interface Fault {
  /** Runs once this many events have been accepted. */
  readonly at: number;
  readonly run: () => Promise<void>;
}

/**
 * Publishes a burst of `events` with faults injected in the middle of it, and requires that every
 * event reached every subscribed receiver, each (receiver, event) under one webhook-id, and that
 * every delivery row ended succeeded. Duplicates are allowed (delivery is at least once) and reported.
 */
export async function burst<R extends QueueRedis>(c: Cluster<R>, name: string, events: number, faults: Fault[]): Promise<Verdict> {
  const { ids, statuses } = await c.publish(events, faults);
  const verdict = await c.verdict(ids);
  report(name, verdict, statuses);
  if (verdict.missing.length > 0 || (statuses.get(500) ?? 0) > 0) c.keepLogs(name);
  expect(verdict.missing).toEqual([]);
  expect(verdict.splitIdentities).toBe(0);
  expect(new Set(ids).size).toBe(events);
  // Clients may see 503 or a refused connection while a dependency is down, never a 500.
  expect(statuses.get(500) ?? 0).toBe(0);
  // Postgres agrees: one row per (event, receiver), every one delivered.
  expect(await c.deliveryStatuses()).toEqual({ succeeded: events * c.receivers.length });
  // Finished jobs leave Redis: once everything is delivered, no job of the burst remains.
  expect(await c.jobKeysLeft()).toBe(0);
  return verdict;
}
