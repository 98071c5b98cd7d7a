import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { Logger } from "@hookline/core";

/*
 * API_PROCESSES > 1: a primary process forks that many API processes, which share the listening
 * port (Node's cluster module hands connections out round robin). The primary opens no
 * connection to Postgres or Redis and serves nothing; it starts, stops and watches the API
 * processes, and answers their requests for the metrics of all of them, because a scrape of
 * `/metrics` reaches one process and must count every one's requests (prom-client's
 * AggregatorRegistry collects them over the cluster's IPC channel).
 */

const ASK = "hookline:metrics?";
const ANSWER = "hookline:metrics";
interface Ask {
  readonly type: typeof ASK;
  readonly id: number;
}
interface Answer {
  readonly type: typeof ANSWER;
  readonly id: number;
  readonly body?: string;
  readonly error?: string;
}
const isAsk = (message: unknown): message is Ask => (message as Ask | null)?.type === ASK;
const isAnswer = (message: unknown): message is Answer => (message as Answer | null)?.type === ANSWER;

/** In the primary: forks the API processes; the first to exit on its own stops the others, as `npm start` does. */
export function runApiPrimary(count: number, logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  const workers: Worker[] = [];
  let stopping = false;

  const stop = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    for (const worker of workers) if (!worker.isDead()) worker.process.kill("SIGTERM");
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    const check = setInterval(() => {
      if (workers.every((w) => w.isDead())) {
        clearInterval(check);
        clearTimeout(force);
        process.exit(exitCode);
      }
    }, 50);
  };

  for (let i = 0; i < count; i++) {
    const worker = cluster.fork();
    workers.push(worker);
    worker.on("message", (message: unknown) => {
      if (!isAsk(message)) return;
      aggregator
        .clusterMetrics()
        .then((body) => worker.send({ type: ANSWER, id: message.id, body } satisfies Answer))
        .catch((error: unknown) => worker.send({ type: ANSWER, id: message.id, error: (error as Error).message } satisfies Answer));
    });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      logger.error({ worker_pid: worker.process.pid, code, signal }, "an API process exited; stopping the others");
      stop(code || 1);
    });
  }
  logger.info({ processes: count }, "started the API processes");
  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => stop(0));
}

let asked = 0;
const waiting = new Map<number, { resolve: (body: string) => void; reject: (error: Error) => void }>();

/** In an API process of a cluster: listens for the primary's answers, and lets it collect this process's metrics. */
export function joinApiCluster(): void {
  new AggregatorRegistry();
  process.on("message", (message: unknown) => {
    if (!isAnswer(message)) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.body !== undefined) pending?.resolve(message.body);
    else pending?.reject(new Error(message.error ?? "no metrics"));
  });
}

/** The metrics of every API process, asked of the primary; undefined outside a cluster. */
export function clusterMetrics(): Promise<{ contentType: string; body: string }> | undefined {
  if (!cluster.isWorker || !process.send) return undefined;
  const id = ++asked;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: (body) => resolve({ contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE, body }), reject });
    process.send?.({ type: ASK, id } satisfies Ask);
  });
}
