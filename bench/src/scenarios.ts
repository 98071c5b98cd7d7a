import type { BenchCluster } from "./cluster.js";
import {
  closedLoop,
  openLoop,
  receiverControl,
  retire,
  tenantWithEndpoints,
  type Mode,
  type Picker,
  type ReceiverStats,
} from "./workload.js";

export interface Durations {
  readonly warmupMs: number;
  /** S1's measured steady state (the issue asks for at least 60 s). */
  readonly throughputMs: number;
  /** Each open-loop phase of S2, S3, S4 and S6. */
  readonly phaseMs: number;
}

export interface Latency {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

const ENDPOINTS = 100;
const roundRobin: Picker = (seq) => seq % ENDPOINTS;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jain's fairness index of the values: 1 when all are equal, 1/n when one has everything. */
export function jain(values: readonly number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

async function withTenant<T>(cluster: BenchCluster, run: (t: Awaited<ReturnType<typeof tenantWithEndpoints>>) => Promise<T>): Promise<T> {
  const receiver = receiverControl(cluster.receiverUrl);
  await receiver.modes(Object.fromEntries(range(0, ENDPOINTS).map((i) => [i, "ok" as Mode])));
  const tenant = await tenantWithEndpoints(cluster, ENDPOINTS);
  try {
    return await run(tenant);
  } finally {
    await receiver.modes(Object.fromEntries(range(0, ENDPOINTS).map((i) => [i, "ok" as Mode])));
    await retire(tenant.request, tenant.endpointIds);
    await cluster.settle();
  }
}

/** S1: closed loop over 100 endpoints; deliveries per second in the steady state. */
export async function throughput(cluster: BenchCluster, d: Durations) {
  const receiver = receiverControl(cluster.receiverUrl);
  return withTenant(cluster, async ({ apiKey }) => {
    const loop = closedLoop({ cluster, receiver, apiKey, pick: roundRobin, backlog: 4_000, durationMs: d.warmupMs + d.throughputMs });
    await cluster.warmUp(d.warmupMs);
    await receiver.reset();
    await cluster.eventLoopDelay();
    const cpuBefore = cluster.cpuSeconds();
    await sleep(d.throughputMs);
    const stats = await receiver.stats();
    const cpuAfter = cluster.cpuSeconds();
    const eventLoop = await cluster.eventLoopDelay();
    await loop;
    const seconds = stats.elapsedMs / 1000;
    // Cores each part kept busy during the measured window (2 is the whole machine here).
    const cores = Object.fromEntries(Object.entries(cpuAfter).map(([name, used]) => [name, (used - (cpuBefore[name] ?? 0)) / seconds]));
    return { deliveriesPerSecond: stats.delivered / seconds, duplicates: stats.duplicates, latencyMs: stats.latencyMs, eventLoop, cores };
  });
}

/** One open-loop phase: warm up at the rate, then measure for d.phaseMs. */
async function openPhase(
  cluster: BenchCluster,
  d: Durations,
  apiKey: string,
  pick: Picker,
  rate: number,
  during?: (elapsed: () => number) => Promise<void>,
) {
  const receiver = receiverControl(cluster.receiverUrl);
  const loop = openLoop({ cluster, apiKey, pick, ratePerSecond: rate, durationMs: d.warmupMs + d.phaseMs });
  await cluster.warmUp(d.warmupMs);
  await receiver.reset();
  await cluster.eventLoopDelay();
  const cpuBefore = cluster.cpuSeconds();
  const started = Date.now();
  const measuredFrom = performance.timeOrigin + performance.now();
  await (during ? during(() => Date.now() - started) : sleep(d.phaseMs));
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = cluster.cpuSeconds();
  const generator = await loop;
  const cores = Object.fromEntries(Object.entries(cpuAfter).map(([name, used]) => [name, (used - (cpuBefore[name] ?? 0)) / seconds]));
  return { receiver, generator, eventLoop: await cluster.eventLoopDelay(), cores, measuredFrom };
}

/** S2: open-loop latency at a share of S1's rate; `during` runs while the measured phase lasts (S10). */
export async function latency(cluster: BenchCluster, d: Durations, rate: number, during?: (elapsed: () => number) => Promise<void>) {
  return withTenant(cluster, async ({ apiKey }) => {
    const { receiver, generator, eventLoop, cores, measuredFrom } = await openPhase(cluster, d, apiKey, roundRobin, rate, during);
    const stats = await receiver.stats();
    const stages = await cluster.stages(measuredFrom);
    const timeline = await cluster.queueTimeline(measuredFrom);
    return {
      rate,
      deliveredPerSecond: stats.delivered / (stats.elapsedMs / 1000),
      latencyMs: stats.latencyMs,
      lateBatches: generator.lateBatches,
      eventLoop,
      cores,
      stages,
      timeline,
    };
  });
}

/** S3: 10% of endpoints hang until their timeout (or answer 500 at once); the healthy ones' share. */
export async function isolation(cluster: BenchCluster, d: Durations, rate: number, fault: "hang" | "fail") {
  const faulty = range(0, ENDPOINTS / 10);
  return withTenant(cluster, async ({ apiKey, endpointIds }) => {
    await receiverControl(cluster.receiverUrl).modes(Object.fromEntries(faulty.map((i) => [i, fault])));
    const { receiver, measuredFrom } = await openPhase(cluster, d, apiKey, roundRobin, rate);
    const stats = await receiver.stats(faulty);
    const offeredHealthy = rate * 0.9;
    // The healthy endpoints' stages: which one the faulty endpoints' work delays.
    const stages = await cluster.stages(
      measuredFrom,
      faulty.map((i) => endpointIds[i] ?? ""),
    );
    return {
      fault,
      healthyDeliveredPerSecond: stats.delivered / (stats.elapsedMs / 1000),
      offeredHealthyPerSecond: offeredHealthy,
      latencyMs: stats.latencyMs,
      stages,
    };
  });
}

/** S4: endpoint 0 gets half of all events; the others' p99 and Jain's index of their rates. */
export async function noisyNeighbour(cluster: BenchCluster, d: Durations, rate: number) {
  const pick: Picker = (seq) => (seq % 2 === 0 ? 0 : 1 + ((seq >> 1) % (ENDPOINTS - 1)));
  return withTenant(cluster, async ({ apiKey }) => {
    const { receiver } = await openPhase(cluster, d, apiKey, pick, rate);
    const others: ReceiverStats = await receiver.stats([0]);
    const all = await receiver.stats();
    const rates = range(1, ENDPOINTS).map((i) => Number(others.perEndpoint[String(i)] ?? 0));
    return {
      hotDeliveredPerSecond: Number(all.perEndpoint["0"] ?? 0) / (all.elapsedMs / 1000),
      othersDeliveredPerSecond: others.delivered / (others.elapsedMs / 1000),
      othersLatencyMs: others.latencyMs,
      jain: jain(rates),
    };
  });
}

/** Deliveries to these endpoints that have not succeeded yet, straight from Postgres. */
async function unfinished(cluster: BenchCluster, endpointIds: readonly string[]): Promise<number> {
  const rows = await cluster.sql<{ n: string }>(
    `SELECT count(*) AS n FROM deliveries d JOIN endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
     WHERE e.id = ANY($1::text[]) AND d.status <> 'succeeded'`,
    [endpointIds],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * S6: 10 endpoints refuse connections for `downMs`, then come back. Drain time runs from their
 * return until Postgres holds no unfinished delivery for them; meanwhile the healthy endpoints'
 * rate and p99 are measured.
 */
export async function recovery(cluster: BenchCluster, d: Durations, rate: number, downMs: number) {
  const down = range(0, 10);
  return withTenant(cluster, async ({ apiKey, endpointIds }) => {
    const control = receiverControl(cluster.receiverUrl);
    let upAt = 0;
    const { receiver } = await openPhase(cluster, d, apiKey, roundRobin, rate, async (elapsed) => {
      await control.modes(Object.fromEntries(down.map((i) => [i, "down" as Mode])));
      await sleep(downMs);
      await control.modes(Object.fromEntries(down.map((i) => [i, "ok" as Mode])));
      upAt = Date.now();
      await sleep(Math.max(0, d.phaseMs - elapsed()));
    });
    const stats = await receiver.stats(down);
    const recovering = endpointIds.slice(0, down.length);
    const backlogAtEnd = await unfinished(cluster, recovering);
    let drainedAfterMs: number | null = null;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      if ((await unfinished(cluster, recovering)) === 0) {
        drainedAfterMs = Date.now() - upAt;
        break;
      }
      await sleep(250);
    }
    return {
      downMs,
      backlogAtEnd,
      drainedAfterMs,
      healthyDeliveredPerSecond: stats.delivered / (stats.elapsedMs / 1000),
      offeredHealthyPerSecond: rate * 0.9,
      healthyLatencyMs: stats.latencyMs,
    };
  });
}
