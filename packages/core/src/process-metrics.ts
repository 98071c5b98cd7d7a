import { collectDefaultMetrics, register, type Metric } from "prom-client";

/**
 * Prometheus metrics of a Hookline process, on prom-client's default registry: Node's own
 * (event-loop lag percentiles, heap, GC) and whatever the process's packages register. The API
 * serves them at GET /metrics, a worker on its health port.
 */
let defaultsCollected = false;

export function startProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ eventLoopMonitoringPrecision: 10 });
}

/**
 * A metric registered once per process, however many times its module is evaluated (tests
 * start several engines in one process, and Jest may load a module more than once).
 */
export function metricOnce<T extends Metric>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/** The exposition text and its content type, for whichever server serves /metrics. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
