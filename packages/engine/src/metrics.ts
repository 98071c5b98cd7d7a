import { collectDefaultMetrics, Counter, Histogram, register } from "prom-client";

/**
 * Prometheus metrics of a Hookline process, on prom-client's default registry: Node's own
 * (event-loop lag percentiles, heap, GC) and the engine's. The API serves them at GET /metrics,
 * a worker on its health port. Registered once per process, however many engines a test starts.
 */
let defaultsCollected = false;

export function startProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ eventLoopMonitoringPrecision: 10 });
}

function singleton<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const attemptsTotal = singleton(
  "hookline_delivery_attempts_total",
  () =>
    new Counter({
      name: "hookline_delivery_attempts_total",
      help: "Delivery attempts made, by what came of them",
      labelNames: ["outcome"] as const,
    }),
);

export const deferralsTotal = singleton(
  "hookline_delivery_deferrals_total",
  () =>
    new Counter({
      name: "hookline_delivery_deferrals_total",
      help: "Deliveries put off because their endpoint had all the in-flight slots it may have",
    }),
);

export const attemptSeconds = singleton(
  "hookline_delivery_attempt_duration_seconds",
  () =>
    new Histogram({
      name: "hookline_delivery_attempt_duration_seconds",
      help: "Time from sending a delivery to its receiver's answer (or error)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
);

/** The exposition text and its content type, for whichever server serves /metrics. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
