import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { TEST_PROCESS_ENV } from "./config.js";

export interface SpawnedProcess {
  readonly child: ChildProcess;
  /** Every line it printed, stdout and stderr together. */
  readonly lines: string[];
  /** Resolves when a line containing `text` appears; rejects if the process exits first. */
  waitFor(text: string): Promise<void>;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a TypeScript entry point of this repository as its own Node process, from source (tsx),
 * the way a test needs a real separate worker or API process.
 */
export function spawnTsProcess(entry: string, env: Record<string, string>, args: readonly string[] = []): SpawnedProcess {
  const child = spawn(process.execPath, ["--conditions=hookline-source", "--import", "tsx", entry, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...TEST_PROCESS_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      for (const waiter of waiters.filter((w) => line.includes(w.text))) waiter.resolve();
    });
  }
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    lines,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some((line) => line.includes(text))) return resolve();
        waiters.push({ text, resolve });
        void exited.then(([code]) => reject(new Error(`process exited (${code}) before "${text}":\n${lines.slice(-20).join("\n")}`)));
      }),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}
