import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `redis-server` children of one test's cluster or sentinel set, with their files in one temporary directory. */
export interface RedisProcesses {
  readonly dir: string;
  /** Starts `redis-server` with these arguments; it is known by `port` from then on. */
  run(port: number, args: readonly string[]): void;
  /** Ports of the children still running. */
  alive(): number[];
  /** `kill -9` of the child on that port, resolved once it has exited; it stays dead. */
  kill(port: number): Promise<void>;
  /** Kills every child and removes the directory. */
  destroy(): Promise<void>;
}

export function redisProcesses(prefix: string): RedisProcesses {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const children = new Map<number, ChildProcess>();
  const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  const kill = async (port: number) => {
    const child = children.get(port);
    if (!child || !running(child)) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  };
  return {
    dir,
    run: (port, args) => {
      children.set(port, spawn("redis-server", args, { stdio: "ignore" }));
    },
    alive: () => [...children.entries()].filter(([, child]) => running(child)).map(([port]) => port),
    kill,
    destroy: async () => {
      await Promise.all([...children.keys()].map(kill));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
