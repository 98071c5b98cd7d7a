import { Counter, Gauge } from "prom-client";
import { metricOnce } from "@hookline/core";

const backingOff = metricOnce(
  "hookline_worker_postgres_unavailable",
  () =>
    new Gauge({
      name: "hookline_worker_postgres_unavailable",
      help: "1 while this worker holds its jobs because Postgres does not answer",
    }),
);
const probesTotal = metricOnce(
  "hookline_worker_postgres_probes_total",
  () =>
    new Counter({
      name: "hookline_worker_postgres_probes_total",
      help: "Pings this worker sent, one at a time, to find out whether Postgres answers again",
    }),
);

export interface PostgresBackoffOptions {
  /** Is this error Postgres being unreachable or out of a resource (isDatabaseUnavailable)? */
  readonly isUnavailable: (error: unknown) => boolean;
  /** One round trip to Postgres (Database.ping): the probe. */
  readonly ping: () => Promise<void>;
  /** The first wait; each failed probe doubles it, up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * How often one job may find Postgres unavailable and wait for it before its error goes to
   * BullMQ (an attempt spent): an error that comes back for one job whenever Postgres answers
   * others (out of memory for its statement) must not hold it, and the worker, forever.
   */
  readonly waitsPerJob?: number;
  /** Postgres stopped answering (told once per outage). */
  readonly onUnavailable?: (error: unknown, delayMs: number) => void;
  /**
   * It answers again, `downMs` after the outage began, after `probes` pings. An outage that comes
   * back within `maxDelayMs` counts as the same one (told again when it ends, not when it resumes).
   */
  readonly onRecovered?: (downMs: number, probes: number) => void;
}

/** Thrown to the jobs still waiting when the worker stops, unless they were given a way to step aside. */
export class WorkerStoppingError extends Error {
  override readonly name = "WorkerStoppingError";
}

/**
 * How a worker backs off while Postgres does not answer (restarting, out of connection slots, out
 * of disk). Without it every job it takes fails at once, is retried by BullMQ, and the worker
 * churns through the queue opening a connection per job against a server that refuses them.
 *
 * Instead, once a job finds Postgres unavailable, the jobs of this worker wait (holding their
 * slots, so it takes no more) while one ping at a time tries again: after 250 ms, then twice as
 * long after each failure, up to 5 s. When a ping gets through, they all go on. A job is retried
 * here, not failed, so an outage spends none of BullMQ's attempts (up to `waitsPerJob` times);
 * its work reads its row again from the start (at least once, as any retry).
 */
export class PostgresBackoff {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly waitsPerJob: number;
  /** Failed probes in a row; 0 while Postgres answers. */
  private failures = 0;
  private retryAt = 0;
  private downSince = 0;
  private recoveredAt = -Infinity;
  private failuresBefore = 0;
  private probes = 0;
  private probing: Promise<void> | undefined;
  private stopped = false;
  /** The jobs' waits, each ended by what it waits for or by stop(). */
  private readonly waits = new Set<() => void>();

  constructor(private readonly options: PostgresBackoffOptions) {
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.waitsPerJob = options.waitsPerJob ?? 5;
  }

  /** Is this worker waiting for Postgres? */
  get unavailable(): boolean {
    return this.failures > 0;
  }

  /**
   * Runs `work` now if Postgres answers, else once it does (see the class). When the worker stops
   * while the job waits, `stepAside` ends the job (it puts it back in the queue without spending
   * an attempt, and throws BullMQ's DelayedError); without it, WorkerStoppingError is thrown.
   */
  async run<T>(work: () => Promise<T>, stepAside?: () => Promise<never>): Promise<T> {
    let waits = 0;
    for (;;) {
      if (this.failures > 0) {
        await this.untilAnswering();
        if (this.stopped) {
          if (stepAside) return stepAside();
          throw new WorkerStoppingError("the worker is stopping while Postgres does not answer");
        }
        continue;
      }
      try {
        return await work();
      } catch (error) {
        if (!this.options.isUnavailable(error) || ++waits > this.waitsPerJob) throw error;
        // Jobs under way when it went fail together: only the first counts.
        if (this.failures === 0) this.failed(error);
      }
    }
  }

  /** Ends every wait: the jobs step aside (see run). */
  stop(): void {
    this.stopped = true;
    for (const wake of this.waits) wake();
  }

  /** Resolves once a ping got through, or the worker stops. */
  private async untilAnswering(): Promise<void> {
    while (this.failures > 0 && !this.stopped) {
      const wait = this.retryAt - Date.now();
      if (wait > 0) {
        let timer: NodeJS.Timeout | undefined;
        await this.waitOrStop(new Promise((resolve) => (timer = setTimeout(resolve, wait))));
        clearTimeout(timer);
      } else {
        this.probing ??= this.probe().finally(() => (this.probing = undefined));
        await this.waitOrStop(this.probing);
      }
    }
  }

  /** Until `settled` settles or the worker stops, whichever comes first. */
  private waitOrStop(settled: Promise<unknown>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waits.delete(wake);
        resolve();
      };
      this.waits.add(wake);
      void settled.then(wake, wake);
    });
  }

  private async probe(): Promise<void> {
    this.probes++;
    probesTotal.inc();
    try {
      await this.options.ping();
      this.recovered();
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    let news = false;
    if (this.failures === 0) {
      backingOff.set(1);
      // A ping got through on a connection the pool still had, and the jobs it let go found no
      // new ones: the same outage, whose waits go on growing, not a new one from 250 ms.
      if (Date.now() - this.recoveredAt < this.maxDelayMs) {
        this.failures = this.failuresBefore;
      } else {
        news = true;
        this.downSince = Date.now();
        this.probes = 0;
      }
    }
    const delayMs = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** this.failures);
    this.failures++;
    this.retryAt = Date.now() + delayMs;
    if (news) this.options.onUnavailable?.(error, delayMs);
  }

  private recovered(): void {
    if (this.failures === 0) return;
    this.failuresBefore = this.failures;
    this.failures = 0;
    this.recoveredAt = Date.now();
    backingOff.set(0);
    this.options.onRecovered?.(Date.now() - this.downSince, this.probes);
  }
}
