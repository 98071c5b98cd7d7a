/*
 * What tracing costs the hot path, measured on the instrumented functions themselves (not part of
 * `npm run bench`): a worker's job (`processDelivery`: payload check, one engine attempt with its
 * signing, the job span) and the scheduler's enqueue of a publish's deliveries (payloads built and
 * checked). Postgres, Redis and the receiver are replaced by answers in memory, so what is left is
 * the code tracing touches, and a difference of a few hundred nanoseconds shows.
 *
 *   node --conditions=hookline-source --import tsx bench/src/tracing-overhead.ts [off|on]
 *
 * `off` runs on any version of the code (the one before tracing too, for the comparison);
 * `on` makes every span (always_on sampler) and hands it to a batch processor whose exporter drops
 * the batches, so it counts making and queueing spans but not encoding or sending them.
 */
import * as core from "@hookline/core";
import type { DeliveryWork, Logger, WorkStore } from "@hookline/core";
import type { AttemptResult, HttpClient, TokenCache } from "@hookline/delivery";
import { createDeliveryEngine } from "@hookline/delivery-engine";
import { parsePayload, Scheduler, type JOBS, type JobQueues } from "@hookline/queue";
import { processDelivery } from "@hookline/worker";
import type { Job } from "bullmq";

const mode = process.argv[2] === "on" ? "on" : "off";
const say = (line: string) => process.stdout.write(`${line}\n`);
const logger: Logger = core.createLogger({ level: "silent", name: "tracing-overhead" });

const work: DeliveryWork = {
  id: "msg_0192b7a1-0000-7000-8000-000000000001",
  tenantId: "ten_0192b7a1-0000-7000-8000-000000000001",
  status: "pending",
  attemptCount: 0,
  event: {
    id: "evt_0192b7a1-0000-7000-8000-000000000001",
    eventType: "order.paid",
    createdAt: new Date(),
    data: { order: 42 },
    objectId: null,
  },
  endpoint: {
    id: "ep_0192b7a1-0000-7000-8000-000000000001",
    name: "receiver",
    flavour: "standard",
    url: "https://receiver.example/hooks",
    secrets: [`whsec_${Buffer.alloc(32, 7).toString("base64")}`],
    headers: {},
    timeoutSeconds: 10,
    status: "ACTIVE",
    failingSince: null,
  },
};
const store: WorkStore = {
  load: () => Promise.resolve(work),
  hold: () => Promise.resolve(),
  record: () => Promise.resolve({ recorded: true }),
};
const answered: AttemptResult = { startedAt: new Date(), durationMs: 3, statusCode: 200, headers: {}, body: "ok" };
const http = { send: () => Promise.resolve(answered), close: () => undefined } as unknown as HttpClient;

/** Tracing on, exporting nowhere; undefined in `off` mode (and in code that predates tracing). */
async function tracingFor(): Promise<core.Tracing | undefined> {
  if (mode === "off") return undefined;
  const { TracerProvider, BatchSpanProcessor, AlwaysOnSampler } = await import("@opentelemetry/sdk-trace");
  const provider = new TracerProvider({
    sampler: new AlwaysOnSampler(),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() } }),
    ],
  });
  return core.createTracing(provider.getTracer("bench"));
}

/**
 * CPU per call, in ns: the median of `rounds` rounds of `n` sequential calls, after a warm-up
 * round. CPU time (process.cpuUsage), not wall time: on a shared machine the wall clock mostly
 * measures how long the process waited for a core.
 */
async function measure(name: string, n: number, call: (i: number) => Promise<unknown>, rounds = 9): Promise<void> {
  for (let i = 0; i < n; i++) await call(i);
  const results: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await call(i);
    const used = process.cpuUsage(start);
    results.push(((used.user + used.system) * 1000) / n);
  }
  results.sort((a, b) => a - b);
  const median = results[Math.floor(rounds / 2)]!;
  say(`${mode}\t${name}\t${median.toFixed(0)} ns CPU/op\t(min ${results[0]!.toFixed(0)}, max ${results[rounds - 1]!.toFixed(0)})`);
}

const tracing = await tracingFor();
const engine = createDeliveryEngine({
  logger,
  policy: { retry: { scheduleSeconds: [5], jitter: 0.2, retryAfterMaxSeconds: 3600 }, disableFailingEndpointAfterMs: 86_400_000 },
  work: store,
  http,
  tokens: {} as TokenCache,
  operationalEvents: { publish: () => Promise.resolve() },
  waiting: { expedite: () => Promise.resolve() },
  tracing,
});
const traceparent = tracing?.start("publish").traceparent();
const job = {
  id: work.id,
  data: traceparent === undefined ? { v: 1, deliveryId: work.id } : { v: 1, deliveryId: work.id, traceparent },
  moveToDelayed: () => Promise.resolve(),
} as unknown as Job;
const deps = { engine, logger, tracing };

// The producer side: the payloads built and checked as JobQueues.add checks them, Redis left out.
const queues = {
  add: (kind: typeof JOBS.deliver, payloads: readonly unknown[]) => {
    for (const payload of payloads) parsePayload(kind, payload);
    return Promise.resolve();
  },
} as unknown as JobQueues;
const scheduler = new Scheduler({ queues, logger });
const committed = Array.from({ length: 10 }, (_, i) => ({
  id: `msg_0192b7a1-0000-7000-8000-${String(i).padStart(12, "0")}`,
  status: "pending" as const,
  synchronous: false,
  ...(traceparent !== undefined && { traceparent }),
}));

await measure("processDelivery (one job, one attempt)", 20_000, () => processDelivery(job, deps));
await measure("scheduler.published (10 deliveries)", 20_000, () => scheduler.published(committed, { attemptsSynchronousItself: true }));
