import { metricOnce } from "@hookline/core";
import { Counter, Histogram } from "prom-client";

export const attemptsTotal = metricOnce(
  "hookline_delivery_attempts_total",
  () =>
    new Counter({
      name: "hookline_delivery_attempts_total",
      help: "Delivery attempts made, by what came of them",
      labelNames: ["outcome"] as const,
    }),
);

export const deferralsTotal = metricOnce(
  "hookline_delivery_deferrals_total",
  () =>
    new Counter({
      name: "hookline_delivery_deferrals_total",
      help: "Deliveries put off because their endpoint had all the in-flight slots it may have",
    }),
);

export const attemptSeconds = metricOnce(
  "hookline_delivery_attempt_duration_seconds",
  () =>
    new Histogram({
      name: "hookline_delivery_attempt_duration_seconds",
      help: "Time from sending a delivery to its receiver's answer (or error)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
);
