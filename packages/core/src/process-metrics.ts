import { collectDefaultMetrics, Counter, register, type Metric } from "prom-client";
import { standardOutput } from "./logger.js";

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
  let counted = 0;
  metricOnce(
    "hookline_log_lines_dropped_total",
    () =>
      new Counter({
        name: "hookline_log_lines_dropped_total",
        help: "Log lines not written: the reader of standard output was gone, or too slow for the buffer",
        collect() {
          const dropped = standardOutput().dropped;
          this.inc(dropped - counted);
          counted = dropped;
        },
      }),
  );
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
