// npm run bench: the real API and worker processes, Postgres, Redis and a keep-alive receiver on
// loopback. Measures this machine's ceilings first, then the scenarios of issue 7, and reports
// each against its target and the ceilings of the same run. Nothing here is a test: it prints,
// and writes bench/results/latest.json and latest.svg.
import { writeFileSync, mkdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { BenchCluster } from "./cluster.js";
import { composedCeiling, databaseCeiling, httpCeiling, queueCeiling } from "./ceilings.js";
import { cpuPerEventRows } from "./cpu-per-event.js";
import { floor } from "./floor.js";
import { inbound } from "./inbound.js";
import { integrations } from "./integrations.js";
import { ingestion } from "./ingestion.js";
import { chart, table, type Row } from "./report.js";
import { isolation, latency, noisyNeighbour, recovery, throughput, type Durations } from "./scenarios.js";
import { singlePublish } from "./single-publish.js";
import { purgeUnderLoad } from "./purge-load.js";

const env = process.env;
const quick = env.BENCH_QUICK === "1";
const durations: Durations = quick
  ? { warmupMs: 3_000, throughputMs: 15_000, phaseMs: 10_000 }
  : { warmupMs: 10_000, throughputMs: Number(env.BENCH_S1_SECONDS ?? 60) * 1000, phaseMs: Number(env.BENCH_PHASE_SECONDS ?? 30) * 1000 };
const only = new Set((env.BENCH_SCENARIOS ?? "ceilings,floor,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10").split(","));
const say = (line: string) => process.stdout.write(`${line}\n`);

const settings = {
  databaseUrl: env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/hookline_bench",
  redisUrl: env.BENCH_REDIS_URL ?? env.REDIS_URL ?? "redis://127.0.0.1:6379",
  // One worker process: on two cores shared with everything else, a second one costs more than it
  // gives (docs/DECISIONS.md, "One worker process per small machine").
  workers: Number(env.BENCH_WORKERS ?? 1),
  workerConcurrency: env.BENCH_WORKER_CONCURRENCY ? Number(env.BENCH_WORKER_CONCURRENCY) : undefined,
  endpointTimeoutSeconds: 5,
  retrySchedule: "1,2,5,10,20,30,60",
};

const rows: Row[] = [];
const raw: Record<string, unknown> = {
  settings,
  durations,
  machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
};
const add = (row: Row) => {
  rows.push(row);
  say(`  ${row.scenario} ${row.metric}: ${row.value === null ? "n/a" : Number(row.value.toFixed(2))} ${row.unit}`);
};

say(`hookline bench: ${settings.workers} worker process(es), ${quick ? "quick" : "full"} run`);

// Scaling: S1's closed loop on 1 and 2 API processes × 1 and 2 worker processes, each on a cluster
// of its own started before the main one (each start recreates the database). Not in the default
// list: four more S1 runs.
if (only.has("scaling")) {
  say("scaling: S1 on 1 and 2 API processes x 1 and 2 worker processes");
  const results: Record<string, Awaited<ReturnType<typeof throughput>>> = {};
  for (const [apiProcesses, workers] of [
    [1, 1],
    [2, 1],
    [1, 2],
    [2, 2],
  ] as const) {
    const scaled = await BenchCluster.start({ ...settings, apiProcesses, workers });
    try {
      const r = await throughput(scaled, durations);
      const label = `scaling ${apiProcesses} api x ${workers} worker`;
      results[label] = r;
      add({ scenario: label, metric: "deliveries", value: r.deliveriesPerSecond, unit: "/s" });
      add({ scenario: label, metric: "p99 (closed loop, 4,000 backlog)", value: r.latencyMs.p99, unit: "ms" });
      for (const part of ["api", "workers", "postgres", "redis"])
        add({ scenario: label, metric: `CPU cores ${part}`, value: r.cores[part] ?? null, unit: "" });
      const crashed = scaled.crashed();
      if (crashed) throw new Error(crashed);
    } finally {
      await scaled.stop();
    }
  }
  raw.scaling = results;
}

const cluster = await BenchCluster.start(settings);
try {
  let k = Number.NaN;
  let q = Number.NaN;
  let kNode = Number.NaN;
  if (only.has("ceilings")) {
    say("ceilings");
    const seconds = quick ? 3_000 : 8_000;
    const h = await httpCeiling(cluster.receiverUrl, seconds);
    const hNode = await httpCeiling(cluster.receiverUrl, seconds, "node:http");
    q = await queueCeiling(settings.redisUrl, `${cluster.queuePrefix}-ceiling`, settings.workerConcurrency ?? 50, seconds);
    const d = await databaseCeiling(settings.databaseUrl, seconds);
    k = composedCeiling(h, q, d);
    kNode = composedCeiling(hNode, q, d);
    raw.ceilings = { h, hNode, q, d, k, kNode };
    add({ scenario: "ceiling", metric: "H http posts (got)", value: h, unit: "/s" });
    add({ scenario: "ceiling", metric: "H' http posts (node:http)", value: hNode, unit: "/s" });
    add({ scenario: "ceiling", metric: "Q queue jobs", value: q, unit: "/s" });
    add({ scenario: "ceiling", metric: "D db deliveries (4 rows each)", value: d, unit: "/s" });
    add({ scenario: "ceiling", metric: "K composed", value: k, unit: "/s" });
    add({ scenario: "ceiling", metric: "K' composed with H'", value: kNode, unit: "/s" });
  }

  // F, the least CPU one event costs on this machine; S1's and S9's CPU per event are compared with it.
  let f = Number.NaN;
  let fLibraries = Number.NaN;
  if (only.has("floor")) {
    say("floor");
    // The worker's concurrency as the engine runs it (WORKER_CONCURRENCY's default is 100).
    const result = await floor(cluster, quick ? 3_000 : 8_000, settings.workerConcurrency ?? 100);
    raw.floor = result;
    f = result.total;
    fLibraries = result.libraries.total;
    add({ scenario: "floor", metric: "a API: bare node:http server, per 1 KiB POST", value: result.apiHttp, unit: "µs" });
    add({ scenario: "floor", metric: "b Postgres: row insert + update (pg + driver)", value: result.postgres, unit: "µs" });
    add({ scenario: "floor", metric: "c Redis: id push + pop (redis + driver)", value: result.redis, unit: "µs" });
    add({ scenario: "floor", metric: "d worker: node:http client, per 1 KiB POST", value: result.workerHttp, unit: "µs" });
    add({ scenario: "floor", metric: "F = a + b + c + d", value: result.total, unit: "µs" });
    add({ scenario: "floor", metric: "a' API: Express 5 + express.json(), per 1 KiB POST", value: result.libraries.apiHttp, unit: "µs" });
    add({
      scenario: "floor",
      metric: "c' Redis: BullMQ job added in bulk, taken, completed (redis + driver)",
      value: result.libraries.queue,
      unit: "µs",
    });
    add({
      scenario: "floor",
      metric: "d' worker: got (the delivery client), per 1 KiB POST",
      value: result.libraries.workerHttp,
      unit: "µs",
    });
    add({ scenario: "floor", metric: "L = a' + b + c' + d' (the libraries' floor)", value: result.libraries.total, unit: "µs" });
  }

  let s1Rate = Number(env.BENCH_RATE ?? Number.NaN);
  if (only.has("s1")) {
    say("S1 throughput");
    const s1 = await throughput(cluster, durations);
    raw.s1 = s1;
    s1Rate = s1.deliveriesPerSecond;
    add({ scenario: "S1", metric: "deliveries", value: s1.deliveriesPerSecond, unit: "/s", target: { op: ">=", value: 2000 } });
    add({ scenario: "S1", metric: "ratio to K", value: s1.deliveriesPerSecond / k, unit: "", target: { op: ">=", value: 0.6 } });
    add({ scenario: "S1", metric: "ratio to K'", value: s1.deliveriesPerSecond / kNode, unit: "", target: { op: ">=", value: 0.6 } });
    add({ scenario: "S1", metric: "p99 (closed loop, 4,000 backlog)", value: s1.latencyMs.p99, unit: "ms" });
    for (const [name, cores] of Object.entries(s1.cores)) add({ scenario: "S1", metric: `CPU cores ${name}`, value: cores, unit: "" });
    for (const row of cpuPerEventRows("S1", s1.cores, s1.deliveriesPerSecond, { f, l: fLibraries })) add(row);
  }
  if (only.has("s9")) {
    say("S9 single publishes, delivered");
    const s9 = await singlePublish(cluster, durations);
    raw.s9 = s9;
    add({ scenario: "S9", metric: "deliveries", value: s9.deliveriesPerSecond, unit: "/s", target: { op: ">=", value: 1200 } });
    add({ scenario: "S9", metric: "publish requests", value: s9.publishRequestsPerSecond, unit: "/s" });
    // Overload answers: the API must take 32 clients' single publishes without turning any away.
    for (const status of ["429", "503"])
      add({ scenario: "S9", metric: `answers ${status}`, value: s9.rejected[status] ?? 0, unit: "", target: { op: "<=", value: 0 } });
    for (const [status, count] of Object.entries(s9.rejected))
      if (status !== "429" && status !== "503") add({ scenario: "S9", metric: `answers ${status}`, value: count, unit: "" });
    add({ scenario: "S9", metric: "accepted events (warm-up included)", value: s9.accepted, unit: "" });
    add({ scenario: "S9", metric: "missing after the wait", value: s9.missing, unit: "" });
    add({ scenario: "S9", metric: "duplicates", value: s9.duplicates, unit: "" });
    add({
      scenario: "S9",
      metric: "all arrived, after the clients stopped",
      value: s9.arrivedAfterMs === null ? null : s9.arrivedAfterMs / 1000,
      unit: "s",
    });
    add({ scenario: "S9", metric: "p50 publish to receipt", value: s9.latencyMs.p50, unit: "ms" });
    add({ scenario: "S9", metric: "p99 publish to receipt", value: s9.latencyMs.p99, unit: "ms" });
    for (const [name, cores] of Object.entries(s9.cores)) add({ scenario: "S9", metric: `CPU cores ${name}`, value: cores, unit: "" });
    for (const row of cpuPerEventRows("S9", s9.cores, s9.deliveriesPerSecond, { f, l: fLibraries }, { total: 1500, ratio: 5 })) add(row);
  }
  const atShares = ["s2", "s3", "s4", "s6"].some((name) => only.has(name));
  if (atShares && !(s1Rate > 0)) throw new Error("S2, S3, S4 and S6 run at shares of S1's rate: run S1 too, or set BENCH_RATE");

  let faultFree: Awaited<ReturnType<typeof latency>> | undefined;
  if (only.has("s2") || only.has("s3")) {
    say("S2 latency");
    for (const share of [0.5, 0.8]) {
      if (share === 0.8 && !only.has("s2")) continue;
      const result = await latency(cluster, durations, s1Rate * share);
      raw[`s2_${share * 100}`] = result;
      if (share === 0.5) faultFree = result;
      const label = `S2 @${share * 100}%`;
      add({ scenario: label, metric: "p50", value: result.latencyMs.p50, unit: "ms" });
      add({ scenario: label, metric: "p95", value: result.latencyMs.p95, unit: "ms" });
      add({
        scenario: label,
        metric: "p99",
        value: result.latencyMs.p99,
        unit: "ms",
        target: { op: "<=", value: share === 0.5 ? 50 : 250 },
      });
      add({ scenario: label, metric: "delivered / offered", value: result.deliveredPerSecond / result.rate, unit: "" });
      for (const [name, delay] of Object.entries(result.eventLoop))
        add({ scenario: label, metric: `event-loop p99 ${name}`, value: delay.p99Ms, unit: "ms" });
      for (const [name, stage] of Object.entries(result.stages))
        add({ scenario: label, metric: `stage p99 ${name}`, value: stage.p99, unit: "ms" });
      // Is the queue stage's tail a few stalls or every second a little? (latest.json has each second.)
      const seconds = result.timeline.filter((s) => s.count > 0);
      const slow = seconds.filter((s) => s.p99 > 100);
      add({ scenario: label, metric: "seconds with insert to attempt p99 > 100 ms", value: slow.length, unit: `of ${seconds.length}` });
      add({
        scenario: label,
        metric: "worst second's insert to attempt p99",
        value: Math.max(0, ...seconds.map((s) => s.p99)),
        unit: "ms",
      });
      for (const [name, cores] of Object.entries(result.cores))
        add({ scenario: label, metric: `CPU cores ${name}`, value: cores, unit: "" });
    }
  }

  if (only.has("s3") && faultFree) {
    for (const fault of ["hang", "fail"] as const) {
      say(`S3 isolation (${fault})`);
      const result = await isolation(cluster, durations, s1Rate * 0.5, fault);
      raw[`s3_${fault}`] = result;
      const label = `S3 ${fault}`;
      const baselineShare = faultFree.deliveredPerSecond / faultFree.rate;
      add({
        scenario: label,
        metric: "healthy throughput vs fault-free",
        value: result.healthyDeliveredPerSecond / result.offeredHealthyPerSecond / baselineShare,
        unit: "",
        target: { op: ">=", value: 0.95 },
      });
      add({
        scenario: label,
        metric: "healthy p99 vs fault-free",
        value: (result.latencyMs.p99 ?? Number.NaN) / (faultFree.latencyMs.p99 ?? Number.NaN),
        unit: "",
        target: { op: "<=", value: 2 },
      });
      add({ scenario: label, metric: "healthy p99", value: result.latencyMs.p99, unit: "ms" });
      for (const [name, stage] of Object.entries(result.stages))
        add({ scenario: label, metric: `healthy stage p99 ${name}`, value: stage.p99, unit: "ms" });
    }
  }

  if (only.has("s4")) {
    say("S4 noisy neighbour");
    const result = await noisyNeighbour(cluster, durations, s1Rate * 0.5);
    raw.s4 = result;
    add({ scenario: "S4", metric: "Jain's index (others)", value: result.jain, unit: "", target: { op: ">=", value: 0.95 } });
    add({ scenario: "S4", metric: "others p99", value: result.othersLatencyMs.p99, unit: "ms" });
    add({ scenario: "S4", metric: "hot endpoint deliveries", value: result.hotDeliveredPerSecond, unit: "/s" });
  }

  if (only.has("s6")) {
    say("S6 recovery");
    const result = await recovery(cluster, durations, s1Rate * 0.5, Math.min(20_000, durations.phaseMs / 2));
    raw.s6 = result;
    add({
      scenario: "S6",
      metric: "backlog drained after return",
      value: result.drainedAfterMs === null ? null : result.drainedAfterMs / 1000,
      unit: "s",
    });
    add({
      scenario: "S6",
      metric: "healthy delivered / offered",
      value: result.healthyDeliveredPerSecond / result.offeredHealthyPerSecond,
      unit: "",
    });
    add({ scenario: "S6", metric: "healthy p99", value: result.healthyLatencyMs.p99, unit: "ms" });
  }

  if (only.has("s5")) {
    say("S5 ingestion (workers paused)");
    const results = await ingestion(cluster, quick ? 5 : 15);
    raw.s5 = results;
    for (const r of results) {
      const label = `S5 ${r.mode}`;
      add({
        scenario: label,
        metric: "requests",
        value: r.requestsPerSecond,
        unit: "/s",
        ...(r.mode === "single" && { target: { op: ">=" as const, value: 2000 } }),
      });
      add({
        scenario: label,
        metric: "events",
        value: r.eventsPerSecond,
        unit: "/s",
        ...(r.mode === "batch" && { target: { op: ">=" as const, value: 10_000 } }),
      });
      add({ scenario: label, metric: "p99", value: r.latencyMs.p99, unit: "ms" });
      if (r.non2xx + r.errors > 0) add({ scenario: label, metric: "non-2xx + errors", value: r.non2xx + r.errors, unit: "" });
      for (const name of ["api", "postgres", "redis", "driver"])
        add({ scenario: label, metric: `CPU cores ${name}`, value: r.cores[name] ?? 0, unit: "" });
    }
  }
  if (only.has("s7")) {
    say("S7 inbound endpoints");
    const r = await inbound(cluster, quick ? 5 : 15);
    raw.s7 = r;
    const load = (label: string, l: { requestsPerSecond: number; p99: number; non2xx: number; errors: number }) => {
      add({ scenario: label, metric: "requests", value: l.requestsPerSecond, unit: "/s" });
      add({ scenario: label, metric: "p99", value: l.p99, unit: "ms" });
      if (l.non2xx + l.errors > 0) add({ scenario: label, metric: "non-2xx + errors", value: l.non2xx + l.errors, unit: "" });
    };
    load("ceiling B", r.bare);
    load("S7 hello", r.hello);
    add({
      scenario: "S7 hello",
      metric: "ratio to B",
      value: r.hello.requestsPerSecond / r.bare.requestsPerSecond,
      unit: "",
      target: { op: ">=", value: 0.3 },
    });
    add({ scenario: "S7 hello @50%", metric: "requests", value: r.helloHalf.requestsPerSecond, unit: "/s" });
    add({ scenario: "S7 hello @50%", metric: "p99", value: r.helloHalf.p99, unit: "ms", target: { op: "<=", value: 25 } });
    add({ scenario: "S7 control", metric: "GET /v1/endpoints p99 quiet", value: r.controlQuiet.p99, unit: "ms" });
    add({ scenario: "S7 control", metric: "GET /v1/endpoints p99, endless loops", value: r.controlLoud.p99, unit: "ms" });
    add({
      scenario: "S7 control",
      metric: "p99 with loops vs quiet",
      value: r.controlLoud.p99 / r.controlQuiet.p99,
      unit: "",
      target: { op: "<=", value: 1.5 },
    });
    for (const [status, count] of Object.entries(r.loopStatuses))
      add({ scenario: "S7 control", metric: `loop calls answered ${status}`, value: count, unit: "" });
    add({ scenario: "S7 end to end", metric: "offered", value: r.endToEnd.offeredPerSecond, unit: "/s" });
    add({ scenario: "S7 end to end", metric: "delivered", value: r.endToEnd.deliveredPerSecond, unit: "/s" });
    add({ scenario: "S7 end to end", metric: "call to receipt p50", value: r.endToEnd.p50, unit: "ms" });
    add({ scenario: "S7 end to end", metric: "call to receipt p99", value: r.endToEnd.p99, unit: "ms" });
  }
  if (only.has("s8")) {
    say("S8 integrations (shared endpoint)");
    const r = await integrations(cluster, quick ? 5 : 15);
    raw.s8 = r;
    add({ scenario: "S8 accepted", metric: "requests", value: r.accepted.requestsPerSecond, unit: "/s" });
    add({ scenario: "S8 accepted", metric: "ratio to Q", value: r.accepted.requestsPerSecond / q, unit: "" });
    add({ scenario: "S8 accepted", metric: "p99", value: r.accepted.p99, unit: "ms" });
    if (r.accepted.non2xx > 0) add({ scenario: "S8 accepted", metric: "non-2xx", value: r.accepted.non2xx, unit: "" });
    add({ scenario: "S8 to start", metric: "offered", value: r.toStart.offeredPerSecond, unit: "/s" });
    add({ scenario: "S8 to start", metric: "started", value: r.toStart.started, unit: "" });
    add({ scenario: "S8 to start", metric: "call to flow start p50", value: r.toStart.p50, unit: "ms" });
    add({ scenario: "S8 to start", metric: "call to flow start p99", value: r.toStart.p99, unit: "ms" });
  }
  // Last: it leaves the database with millions of rows, and drops partitions.
  if (only.has("s10")) {
    say("S10 purge under S2's load");
    if (!(s1Rate > 0)) throw new Error("S10 runs at half of S1's rate: run S1 too, or set BENCH_RATE");
    const attempts = Number(env.BENCH_PURGE_ATTEMPTS ?? (quick ? 500_000 : 5_000_000));
    const r = await purgeUnderLoad(cluster, durations, s1Rate * 0.5, attempts, Number(env.BENCH_PURGE_DUTY ?? 10));
    raw.s10 = r;
    const label = "S10 purge under load";
    add({ scenario: label, metric: "old attempts", value: r.attempts, unit: "" });
    add({ scenario: label, metric: "purge duty", value: r.dutyPercent, unit: "%" });
    add({ scenario: label, metric: "quiet p99", value: r.quiet.latencyMs.p99, unit: "ms" });
    add({ scenario: label, metric: "purging p99", value: r.loaded.latencyMs.p99, unit: "ms" });
    add({
      scenario: label,
      metric: "p99 purging / quiet",
      value: (r.loaded.latencyMs.p99 ?? Number.NaN) / (r.quiet.latencyMs.p99 ?? Number.NaN),
      unit: "",
      target: { op: "<=", value: 1.2 },
    });
    add({ scenario: label, metric: "partitions dropped", value: r.dropped, unit: "" });
    add({ scenario: label, metric: "partition drops took", value: r.dropMs, unit: "ms" });
    add({ scenario: label, metric: "deliveries purged in the phase", value: r.purged.deliveries, unit: "" });
    add({ scenario: label, metric: "purge rate", value: r.purged.deliveries / (r.purgeMs / 1000), unit: "deliveries/s" });
    add({ scenario: label, metric: "delivered / offered while purging", value: r.loaded.deliveredPerSecond / r.loaded.rate, unit: "" });
  }
  const crashed = cluster.crashed();
  if (crashed) throw new Error(crashed);
} finally {
  await cluster.stop();
}

say("");
say(table(rows));
const dir = fileURLToPath(new URL("../results/", import.meta.url));
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString();
writeFileSync(`${dir}latest.json`, `${JSON.stringify({ at: stamp, rows, raw }, null, 2)}\n`);
writeFileSync(`${dir}latest.svg`, chart(rows, `Hookline bench, ${stamp.slice(0, 16)}Z, ${settings.workers} worker process(es)`));
say(`\nwrote bench/results/latest.json and bench/results/latest.svg`);
