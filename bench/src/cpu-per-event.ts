import type { Row } from "./report.js";

/**
 * The processes whose CPU a delivered event costs the engine. The driver and the receiver stand
 * in for the customer's publisher and endpoint: reported, but not the engine's cost.
 */
const ENGINE = ["api", "workers", "postgres", "redis"] as const;
const OUTSIDE = ["driver", "receiver"] as const;

/** µs of CPU per delivered event, per process; `cores` and `deliveriesPerSecond` are over the same window. */
export function cpuPerEvent(cores: Readonly<Record<string, number>>, deliveriesPerSecond: number) {
  const per = (name: string) => ((cores[name] ?? 0) / deliveriesPerSecond) * 1e6;
  const engine = Object.fromEntries(ENGINE.map((name) => [name, per(name)]));
  const outside = Object.fromEntries(OUTSIDE.map((name) => [name, per(name)]));
  const total = Object.values(engine).reduce((a, b) => a + b, 0);
  return { engine, outside, total };
}

/**
 * A scenario's CPU per delivered event as rows, and its ratios to the floors when the floor ran
 * in this run (bench/src/floor.ts): F, the least CPU one event can cost on this machine, and L,
 * the least it costs with the libraries the engine is built on.
 */
export function cpuPerEventRows(
  scenario: string,
  cores: Readonly<Record<string, number>>,
  deliveriesPerSecond: number,
  floors: { readonly f: number; readonly l: number },
  targets: { readonly total?: number; readonly ratio?: number } = {},
): Row[] {
  const { engine, outside, total } = cpuPerEvent(cores, deliveriesPerSecond);
  const rows: Row[] = [
    ...Object.entries(engine).map(([name, us]) => ({ scenario, metric: `CPU µs/event ${name}`, value: us, unit: "µs" })),
    {
      scenario,
      metric: "CPU µs/event total (api+workers+postgres+redis)",
      value: total,
      unit: "µs",
      ...(targets.total !== undefined && { target: { op: "<=" as const, value: targets.total } }),
    },
    ...Object.entries(outside).map(([name, us]) => ({ scenario, metric: `CPU µs/event ${name} (not in total)`, value: us, unit: "µs" })),
  ];
  if (Number.isFinite(floors.f))
    rows.push({
      scenario,
      metric: "CPU per event / floor F",
      value: total / floors.f,
      unit: "",
      ...(targets.ratio !== undefined && { target: { op: "<=" as const, value: targets.ratio } }),
    });
  if (Number.isFinite(floors.l)) rows.push({ scenario, metric: "CPU per event / libraries' floor L", value: total / floors.l, unit: "" });
  return rows;
}
