import { metricOnce } from "@hookline/core";
import { Counter, Histogram } from "prom-client";

export const executionsTotal = metricOnce(
  "hookline_inbound_executions_total",
  () =>
    new Counter({
      name: "hookline_inbound_executions_total",
      help: "Calls of inbound endpoints, by outcome (ok, error, cpu_limit, timeout, memory_limit, unauthorized, too_large, disabled, busy)",
      labelNames: ["outcome"] as const,
    }),
);

export const executionSeconds = metricOnce(
  "hookline_inbound_execution_duration_seconds",
  () =>
    new Histogram({
      name: "hookline_inbound_execution_duration_seconds",
      help: "Time from an inbound call's arrival to its answer",
      labelNames: ["outcome"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

export const executionsDropped = metricOnce(
  "hookline_inbound_executions_unrecorded_total",
  () =>
    new Counter({
      name: "hookline_inbound_executions_unrecorded_total",
      help: "Executions that could not be written to the database (it was unreachable for longer than the recorder retries)",
    }),
);
