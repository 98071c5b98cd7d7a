import autocannon from "autocannon";
import type { BenchCluster } from "./cluster.js";
import { benchEvent, retire, tenantWithEndpoints } from "./workload.js";

export interface IngestionResult {
  readonly mode: "single" | "batch";
  readonly eventsPerRequest: number;
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly latencyMs: { p50: number; p99: number };
  readonly non2xx: number;
  readonly errors: number;
  /** Cores each part kept busy meanwhile. */
  readonly cores: Record<string, number>;
}

/**
 * S5: POST /v1/events with one event per request and POST /v1/events/batch with 100, from
 * autocannon over keep-alive connections. Each event makes one delivery (a row and a job). The
 * worker processes are paused (SIGSTOP) meanwhile, so the API, Postgres and Redis have the
 * machine; deliveries wait in the queue and are resumed afterwards.
 */
export async function ingestion(cluster: BenchCluster, durationSeconds: number): Promise<IngestionResult[]> {
  const tenant = await tenantWithEndpoints(cluster, 1);
  // Endpoint 0 takes bench.e0; ingestion publishes that type.
  const headers = { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" };
  cluster.signalWorkers("SIGSTOP");
  try {
    const results: IngestionResult[] = [];
    for (const [mode, eventsPerRequest, connections] of [
      ["single", 1, 32],
      ["batch", 100, 8],
    ] as const) {
      const cpuBefore = cluster.cpuSeconds();
      const body =
        mode === "single"
          ? JSON.stringify(benchEvent(0, 0))
          : JSON.stringify({ events: Array.from({ length: eventsPerRequest }, (_, i) => benchEvent(0, i)) });
      const result = await autocannon({
        url: `${cluster.apiUrl}${mode === "single" ? "/v1/events" : "/v1/events/batch"}`,
        method: "POST",
        headers,
        body,
        connections,
        duration: durationSeconds,
      });
      const cpuAfter = cluster.cpuSeconds();
      const cores = Object.fromEntries(
        Object.entries(cpuAfter).map(([name, used]) => [name, (used - (cpuBefore[name] ?? 0)) / durationSeconds]),
      );
      const requestsPerSecond = result.requests.average;
      results.push({
        mode,
        eventsPerRequest,
        requestsPerSecond,
        eventsPerSecond: requestsPerSecond * eventsPerRequest,
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
        non2xx: result.non2xx,
        errors: result.errors,
        cores,
      });
    }
    return results;
  } finally {
    cluster.signalWorkers("SIGCONT");
    await retire(tenant.request, tenant.endpointIds);
  }
}
