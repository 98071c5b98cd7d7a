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
      help: "Jobs this worker let through, one at a time, to find out whether Postgres answers again",
    }),
);

export interface PostgresBackoffOptions {
  /** Is this error Postgres being unreachable or out of a resource (isDatabaseUnavailable)? */
  readonly isUnavailable: (error: unknown) => boolean;
  /** The first wait; each failed probe doubles it, up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Postgres stopped answering (told once per outage). */
  readonly onUnavailable?: (error: unknown, delayMs: number) => void;
  /**
   * It answers again, `downMs` after the outage began, after `probes` tries. An outage that comes
   * back within `maxDelayMs` counts as the same one (told again when it ends, not when it resumes).
   */
  readonly onRecovered?: (downMs: number, probes: number) => void;
}

/** Thrown to the jobs still waiting when the worker stops: another worker runs them. */
export class WorkerStoppingError extends Error {
  override readonly name = "WorkerStoppingError";
}

/**
 * How a worker backs off while Postgres does not answer (restarting, out of connection slots, out
 * of disk). Without it every job it takes fails at once, is retried by BullMQ, and the worker
 * churns through the queue opening a connection per job against a server that refuses them.
 *
 * Instead, once a job finds Postgres unavailable, the jobs of this worker wait (holding their
 * slots, so it takes no more) and one of them at a time tries again: after 250 ms, then twice as
 * long after each failure, up to 5 s. When that probe gets through, all of them go on. A job is
 * retried here, not failed, so an outage spends none of BullMQ's attempts; its work reads its row
 * again from the start (at least once, as any retry).
 */
export class PostgresBackoff {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  /** Failed probes in a row; 0 while Postgres answers. */
  private failures = 0;
  private retryAt = 0;
  private downSince = 0;
  private recoveredAt = -Infinity;
  private failuresBefore = 0;
  private probes = 0;
  private probing: Promise<void> | undefined;
  private stopped = false;
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly options: PostgresBackoffOptions) {
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
  }

  /** Is this worker waiting for Postgres? */
  get unavailable(): boolean {
    return this.failures > 0;
  }

  /** Runs `work`, now if Postgres answers, else once it is this job's turn to try (see the class). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      if (this.failures === 0) {
        try {
          return await work();
        } catch (error) {
          if (!this.options.isUnavailable(error)) throw error;
          // Jobs that were already under way when it went fail together: only the first counts.
          if (this.failures === 0) this.failed(error);
          continue;
        }
      }
      if (this.stopped) throw new WorkerStoppingError("the worker is stopping while Postgres does not answer");
      const wait = this.retryAt - Date.now();
      if (wait > 0) {
        await this.sleep(wait);
      } else if (this.probing) {
        await this.probing;
      } else {
        const probe = this.probe(work);
        this.probing = probe.then(
          () => undefined,
          () => undefined,
        );
        try {
          const tried = await probe;
          if (tried.done) return tried.value;
        } finally {
          this.probing = undefined;
        }
      }
    }
  }

  /** Wakes every waiting job with WorkerStoppingError: the worker is stopping. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  /** This job tries: `done` with its result, or not done (Postgres still away: wait again). */
  private async probe<T>(work: () => Promise<T>): Promise<{ done: true; value: T } | { done: false }> {
    this.probes++;
    probesTotal.inc();
    try {
      const value = await work();
      this.recovered();
      return { done: true, value };
    } catch (error) {
      if (!this.options.isUnavailable(error)) {
        // Postgres answered; the job failed for its own reasons.
        this.recovered();
        throw error;
      }
      this.failed(error);
      return { done: false };
    }
  }

  private failed(error: unknown): void {
    let news = false;
    if (this.failures === 0) {
      backingOff.set(1);
      // A probe got through on a connection the pool still had, and the jobs it let go found no
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

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
