import { writeSync } from "node:fs";
import { failureReason, withinDeadline } from "./dependency-failures.js";
import type { LogOutput } from "./log-output.js";
import { createLogger } from "./logger.js";

/**
 * How a Hookline process ends when it cannot start, so that `npm start`, a supervisor or an
 * orchestrator can tell why without reading the log. 1 is everything else (a wrong setting, a
 * wrong ENCRYPTION_KEY).
 */
export const EXIT_CODES = {
  failed: 1,
  /** `npm start` had to SIGKILL a process that ignored SIGTERM. */
  killed: 70,
  postgresUnreachable: 80,
  redisUnreachable: 81,
  logOutputUnwritable: 82,
} as const;

/** What each exit code above says, in the words `npm start` prints. */
export const EXIT_REASONS: Readonly<Record<number, string>> = {
  [EXIT_CODES.killed]: "killed after ignoring SIGTERM",
  [EXIT_CODES.postgresUnreachable]: "could not reach Postgres",
  [EXIT_CODES.redisUnreachable]: "could not reach Redis",
  [EXIT_CODES.logOutputUnwritable]: "could not write its log",
};

/** A service a process needs before it may start. */
export interface Dependency {
  /** "Postgres", "Redis". */
  readonly name: string;
  /** Where it is looked for, without credentials: `127.0.0.1:5432/hookline`. */
  readonly address: string;
  readonly exitCode: number;
  /** One attempt to reach it and run a command, giving up after `timeoutMs`; rejects with why. */
  probe(timeoutMs: number): Promise<void>;
  /** A failure no retry will mend (a wrong password, a missing database): reported at once. */
  isPermanent?(error: unknown): boolean;
}

export interface Unreachable {
  readonly dependency: Dependency;
  /** Why the last attempt failed, in words: "connection refused", "no answer within 2 s". */
  readonly reason: string;
  /** How long it was tried, and how often. */
  readonly waitedMs: number;
  readonly attempts: number;
}

export interface AwaitOptions {
  /** How long a dependency may stay unreachable before the start is given up (STARTUP_TIMEOUT_SECONDS). */
  readonly timeoutMs: number;
  /** Pause between attempts. */
  readonly retryEveryMs?: number;
  /** Told once per dependency, at its first failure, unless that failure ends the wait. */
  readonly onWaiting?: (unreachable: Unreachable, remainingMs: number) => void;
}

async function awaitOne(dependency: Dependency, options: AwaitOptions, settled: () => boolean): Promise<Unreachable | undefined> {
  const started = Date.now();
  const retryEveryMs = options.retryEveryMs ?? 500;
  let told = false;
  for (let attempts = 1; ; attempts++) {
    const remaining = options.timeoutMs - (Date.now() - started);
    // Every attempt gets at least a second, and at most five: a slow answer is still an answer.
    const attemptMs = Math.min(5_000, Math.max(1_000, remaining));
    try {
      // The attempt's own deadline: a probe that neither answers nor fails still ends.
      await withinDeadline(dependency.probe(attemptMs), attemptMs);
      return undefined;
    } catch (error) {
      const waitedMs = Date.now() - started;
      const unreachable = { dependency, reason: failureReason(error), waitedMs, attempts };
      const left = options.timeoutMs - waitedMs;
      if (dependency.isPermanent?.(error) || left <= 0) return unreachable;
      if (settled()) return undefined;
      if (!told) options.onWaiting?.(unreachable, left);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryEveryMs, left)));
      // Another dependency has ended the wait meanwhile.
      if (settled()) return undefined;
    }
  }
}

/**
 * Waits until every dependency answers, each tried again every `retryEveryMs` for up to
 * `timeoutMs` (a service started at the same moment gets time to come up). Resolves with the first
 * one that gives up, as soon as it does (a wrong password is not made to wait for the others);
 * nothing when all answered.
 */
export function awaitDependencies(dependencies: readonly Dependency[], options: AwaitOptions): Promise<Unreachable | undefined> {
  return new Promise((resolve) => {
    let answered = 0;
    let settled = dependencies.length === 0;
    if (settled) resolve(undefined);
    for (const dependency of dependencies) {
      void awaitOne(dependency, options, () => settled).then((unreachable) => {
        if (settled) return;
        if (unreachable || ++answered === dependencies.length) {
          settled = true;
          resolve(unreachable);
        }
      });
    }
  });
}

/**
 * One plain line on standard error. Written synchronously and never throwing: standard error may
 * be the same broken pipe as the log.
 */
function sayOnStderr(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // Nowhere left to say it; the exit code still does.
  }
}

/**
 * The start of a process's `main`: its log output works, and every dependency answers within
 * `timeoutMs`. Otherwise it says which in one line on standard error and exits with the
 * dependency's code (EXIT_CODES). While it waits it says so once per dependency.
 *
 * The output is checked with the process's first line, `<name> starting` with `fields`, written
 * at info whatever LOG_LEVEL says and flushed synchronously: EPIPE there means nobody reads the
 * log at all. A script that writes no log (the migrator) passes no output.
 */
export async function ensureStartable(
  processName: string,
  output: LogOutput | undefined,
  dependencies: readonly Dependency[],
  timeoutMs: number,
  fields: Record<string, unknown> = {},
): Promise<void> {
  if (output) {
    createLogger({ level: "info", name: processName, destination: output }).info(fields, `${processName} starting`);
    const broken = output.check();
    if (broken) {
      sayOnStderr(`${processName}: cannot write its log to standard output (${broken.code ?? broken.message}); exiting`);
      process.exit(EXIT_CODES.logOutputUnwritable);
    }
  }
  const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;
  const unreachable = await awaitDependencies(dependencies, {
    timeoutMs,
    onWaiting: ({ dependency, reason }, remainingMs) =>
      sayOnStderr(
        `${processName}: waiting for ${dependency.name} at ${dependency.address} (${reason}); giving up in ${seconds(remainingMs)}`,
      ),
  });
  if (unreachable) {
    const { dependency, reason, waitedMs, attempts } = unreachable;
    const tried = attempts > 1 ? `, ${attempts} tries in ${seconds(waitedMs)}` : "";
    sayOnStderr(`${processName}: cannot reach ${dependency.name} at ${dependency.address} (${reason}${tried}); exiting`);
    process.exit(dependency.exitCode);
  }
}
