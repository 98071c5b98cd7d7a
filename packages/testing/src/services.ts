import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, chmodSync, chownSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Throwaway Redis and Postgres servers started from the binaries on this machine, on free
 * loopback ports, for tests that stop, flush or kill them (never the shared services).
 */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `redis-cli -p <port> <args>`'s output, trimmed ("" if the server does not answer). */
export function redisCli(port: number, ...args: string[]): string {
  return spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8", timeout: 5_000 }).stdout?.trim() ?? "";
}

/** The same without blocking: for polling while the test's own requests are in flight. */
export function redisCliAsync(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile("redis-cli", ["-p", String(port), ...args], { encoding: "utf8", timeout: 5_000 }, (_error, stdout) =>
      resolve(String(stdout ?? "").trim()),
    );
  });
}

/** A Redis URL nothing answers at (port 1), for settings that must not be used. */
export const UNUSED_REDIS_URL = "redis://127.0.0.1:1";

/** A Redis of a test's own as Hookline's processes are pointed at it, whatever its topology. */
export interface QueueRedis {
  /** The settings that point the API and workers at it: REDIS_URL, or REDIS_CLUSTER_NODES, or REDIS_SENTINELS. */
  readonly env: Readonly<Record<string, string>>;
  /** The keys matching `pattern`, from every primary. */
  keys(pattern: string): string[];
  /** Kills every server of it and deletes its files. */
  destroy(): Promise<void>;
}

export interface RedisServer extends QueueRedis {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Starts it again on the same port (after stop or kill). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = () => redisCli(port, "ping") === "PONG";
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    keys: (pattern) => redisCli(port, "--scan", "--pattern", pattern).split("\n").filter(Boolean),
    destroy: () => server.stop(),
    get process() {
      if (!child) throw new Error("redis is not running");
      return child;
    },
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extraArgs], {
        stdio: "ignore",
      });
      await waitUntil(ping, 10_000, "redis-server's start");
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
  await server.start();
  return server;
}

export interface PostgresServer {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: disconnects every client, as a restart in production would. */
  stop(): Promise<void>;
  /** Whether the server is running (it stops by itself after a PANIC it cannot recover from). */
  running(): boolean;
  /** The directory holding its data directory: its own filesystem when `diskMegabytes` was given. */
  readonly dir: string;
  destroy(): Promise<void>;
}

export interface PostgresServerOptions {
  /**
   * Puts the server on a tmpfs of this size, mounted for it (as root only), so that a test can
   * fill its disk.
   */
  readonly diskMegabytes?: number;
}

const PG_BIN = (() => {
  const found = spawnSync("sh", ["-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1"], { encoding: "utf8" }).stdout.trim();
  return found || "/usr/lib/postgresql/15/bin";
})();

/** Postgres refuses to run as root; as root we run it as the `postgres` system user. */
function asPostgres(command: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? { command: "runuser", args: ["-u", "postgres", "--", command, ...args] } : { command, args };
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "hookline-pg-"));
  if (options.diskMegabytes !== undefined) {
    if (process.getuid?.() !== 0) throw new Error("a Postgres on a disk of its own needs root, to mount its tmpfs");
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${options.diskMegabytes}m`, "tmpfs", dir], { encoding: "utf8" });
    if (mounted.status !== 0) throw new Error(`mounting a tmpfs for Postgres failed: ${mounted.stderr}`);
  }
  const unmount = () => {
    if (options.diskMegabytes !== undefined) spawnSync("umount", ["-l", dir]);
  };
  const data = join(dir, "data");
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) {
    const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim();
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const run = (bin: string, args: string[]) => {
    const { command, args: full } = asPostgres(join(PG_BIN, bin), args);
    const result = spawnSync(command, full, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${bin} failed: ${result.stderr || result.stdout}`);
  };
  try {
    run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  } catch (error) {
    unmount();
    throw error;
  }
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const server: PostgresServer = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      run("pg_ctl", ["-D", data, "-o", serverOptions, "-l", join(dir, "log"), "-w", "start"]);
    },
    async stop() {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    running() {
      const { command, args } = asPostgres(join(PG_BIN, "pg_ctl"), ["-D", data, "status"]);
      return spawnSync(command, args).status === 0;
    },
    dir,
    async destroy() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      unmount();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** Resolves once `url` answers 2xx; for processes started elsewhere that say nothing when ready. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
