import { Agent } from "node:http";
import type { BenchCluster } from "./cluster.js";
import { post } from "./http-post.js";
import type { Durations, Latency } from "./scenarios.js";
import { benchEvent, receiverControl, retire, tenantWithEndpoints, type Mode } from "./workload.js";

const ENDPOINTS = 20;
const CLIENTS = 32;
/** How long, after the clients stop, the events they published may take to arrive before the rest counts as missing. */
const ARRIVAL_BOUND_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SinglePublishResult {
  readonly deliveriesPerSecond: number;
  readonly publishRequestsPerSecond: number;
  /** Answers other than 202 over the whole scenario (warm-up included), by status; "error" for no answer at all. */
  readonly rejected: Record<string, number>;
  /** Events answered 202, warm-up included: each must reach its endpoint once. */
  readonly accepted: number;
  /** Accepted events that had not arrived when the bound ran out (negative: arrivals nobody here published). */
  readonly missing: number;
  readonly duplicates: number;
  /** From the clients' stop until the last accepted event arrived; null when the bound ran out first. */
  readonly arrivedAfterMs: number | null;
  readonly latencyMs: Latency;
  /** Cores each part kept busy during the measured window. */
  readonly cores: Record<string, number>;
}

/**
 * S9: the way most customers publish, one event per `POST /v1/events`, from 32 clients in a
 * closed loop (each sends its next event when the previous one was answered), with the workers
 * delivering meanwhile. Each event goes to one of 20 endpoints in turn. Measured for
 * `d.phaseMs` after `d.warmupMs`: a steady state of the same length as the other phases, since
 * unlike S1 there is no backlog to settle (32 requests in flight are the whole load).
 */
export async function singlePublish(cluster: BenchCluster, d: Durations): Promise<SinglePublishResult> {
  const receiver = receiverControl(cluster.receiverUrl);
  await receiver.modes(Object.fromEntries(Array.from({ length: ENDPOINTS }, (_, i) => [i, "ok" as Mode])));
  const tenant = await tenantWithEndpoints(cluster, ENDPOINTS);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const url = new URL("/v1/events", cluster.apiUrl);
  const headers = { authorization: `Bearer ${tenant.apiKey}` };
  const rejected: Record<string, number> = {};
  let answered = 0;
  let accepted = 0;
  let next = 0;
  let stopping = false;
  try {
    const baseline = await receiver.totals();
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stopping) {
        const seq = next++;
        let status: string;
        try {
          // Built just before it is sent: benchEvent stamps sent_at, the receiver's latency origin.
          status = String(await post(agent, url, JSON.stringify(benchEvent(seq % ENDPOINTS, seq)), headers));
        } catch {
          status = "error";
        }
        answered++;
        if (status === "202") accepted++;
        else rejected[status] = (rejected[status] ?? 0) + 1;
        // A refused connection fails at once; without a pause the loop would only spin.
        if (status === "error") await sleep(10);
      }
    });

    await cluster.warmUp(d.warmupMs);
    await receiver.reset();
    const answeredBefore = answered;
    const cpuBefore = cluster.cpuSeconds();
    const started = performance.now();
    await sleep(d.phaseMs);
    const stats = await receiver.stats();
    const cpuAfter = cluster.cpuSeconds();
    const publishSeconds = (performance.now() - started) / 1000;
    const answeredInWindow = answered - answeredBefore;
    stopping = true;
    await Promise.all(clients);

    // Every event answered 202 is the engine's to deliver, the warm-up's too: wait for all of
    // them (distinct webhook-ids, so a retried delivery counts once) before counting what is lost.
    const stoppedAt = Date.now();
    let totals = await receiver.totals();
    while (totals.distinct - baseline.distinct < accepted && Date.now() - stoppedAt < ARRIVAL_BOUND_MS) {
      await sleep(100);
      totals = await receiver.totals();
    }
    const arrived = totals.distinct - baseline.distinct;
    const seconds = stats.elapsedMs / 1000;
    return {
      deliveriesPerSecond: stats.delivered / seconds,
      publishRequestsPerSecond: answeredInWindow / publishSeconds,
      rejected,
      accepted,
      missing: accepted - arrived,
      duplicates: totals.duplicates - baseline.duplicates,
      arrivedAfterMs: arrived >= accepted ? Date.now() - stoppedAt : null,
      latencyMs: stats.latencyMs,
      cores: Object.fromEntries(Object.entries(cpuAfter).map(([name, used]) => [name, (used - (cpuBefore[name] ?? 0)) / seconds])),
    };
  } finally {
    stopping = true;
    agent.destroy();
    await retire(tenant.request, tenant.endpointIds);
    await cluster.settle();
  }
}
