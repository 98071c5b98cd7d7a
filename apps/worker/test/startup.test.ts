import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { EXIT_CODES } from "@hookline/core";
import { freePort, startRedisServer, TEST_PROCESS_ENV, TEST_REDIS_URL, useTestDatabase, useTestRedis } from "@hookline/testing";

/**
 * A worker that cannot reach Postgres, Redis or its log output as it starts says which in one
 * plain line on standard error and exits with that dependency's code, in bounded time; one that
 * is only waiting for a service to come up says so once and starts when it does.
 */
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

const database = useTestDatabase();
const queue = useTestRedis();

function startWorker(env: Record<string, string>, options: { readerGone?: boolean } = {}) {
  const child = spawn(process.execPath, ["--conditions=hookline-source", "--import", "tsx", MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      ...TEST_PROCESS_ENV,
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queue.prefix,
      STARTUP_TIMEOUT_SECONDS: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  // The log's reader goes away before the worker has written anything (tsx takes a moment to start).
  if (options.readerGone) child.stdout.destroy();
  else createInterface({ input: child.stdout }).on("line", (line) => stdout.push(line));
  const stderrLines = createInterface({ input: child.stderr });
  stderrLines.on("line", (line) => stderr.push(line));
  const started = Date.now();
  // "close": the process has exited and its output has been read to the end.
  const exit = (once(child, "close") as Promise<[number | null]>).then(([code]) => ({ code, afterMs: Date.now() - started }));
  const line = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (stderr.some((l) => pattern.test(l))) return resolve();
      stderrLines.on("line", (l) => pattern.test(l) && resolve());
      void exit.then(({ code }) => reject(new Error(`exited (${code}) before ${pattern}:\n${stderr.join("\n")}`)));
    });
  return { child, stdout, stderr, exit, line };
}

/** A TCP port that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe("the worker at start", () => {
  it("names a Postgres that refuses connections in one line and exits 80", async () => {
    const port = await freePort();
    const worker = startWorker({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/hookline` });
    const { code, afterMs } = await worker.exit;
    expect(code).toBe(EXIT_CODES.postgresUnreachable);
    // The waiting line, then the one that gives up; nothing else on stderr, no stack trace anywhere.
    expect(worker.stderr).toEqual([
      `hookline-worker: waiting for Postgres at 127.0.0.1:${port}/hookline (connection refused); giving up in 1 s`,
      expect.stringMatching(
        new RegExp(
          `^hookline-worker: cannot reach Postgres at 127\\.0\\.0\\.1:${port}/hookline \\(connection refused, \\d+ tries in 1 s\\); exiting$`,
        ),
      ),
    ]);
    expect(worker.stdout.join("\n")).not.toMatch(/"stack"|"level":[56]0/);
    expect(afterMs).toBeLessThan(15_000);
  });

  it("names a Redis that refuses connections and exits 81", async () => {
    const port = await freePort();
    const worker = startWorker({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect((await worker.exit).code).toBe(EXIT_CODES.redisUnreachable);
    expect(worker.stderr.at(-1)).toMatch(
      new RegExp(`^hookline-worker: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(connection refused, \\d+ tries in 1 s\\); exiting$`),
    );
  });

  it("gives up on services that accept a connection and never answer, in bounded time", async () => {
    const silent = await silentServer();
    try {
      const worker = startWorker({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${silent.port}/hookline`,
        REDIS_URL: `redis://127.0.0.1:${silent.port}`,
        STARTUP_TIMEOUT_SECONDS: "2",
      });
      const { code, afterMs } = await worker.exit;
      expect([EXIT_CODES.postgresUnreachable, EXIT_CODES.redisUnreachable]).toContain(code);
      expect(worker.stderr.at(-1)).toMatch(/^hookline-worker: cannot reach (Postgres|Redis) at 127\.0\.0\.1:\d+\S* \(.+\); exiting$/);
      // Each attempt ends within its own deadline (at most 5 s) even though the server never speaks.
      expect(afterMs).toBeLessThan(20_000);
    } finally {
      silent.server.close();
    }
  });

  it("does not wait on a refusal no wait will mend (an unknown role): one line, at once", async () => {
    const url = new URL(database.url);
    url.username = "no_such_role";
    const worker = startWorker({ DATABASE_URL: url.toString(), STARTUP_TIMEOUT_SECONDS: "60" });
    const { code, afterMs } = await worker.exit;
    expect(code).toBe(EXIT_CODES.postgresUnreachable);
    expect(worker.stderr).toEqual([
      expect.stringMatching(/^hookline-worker: cannot reach Postgres at .+ \(.*"no_such_role".*\); exiting$/),
    ]);
    expect(afterMs).toBeLessThan(30_000);
  });

  it("exits 82 when its log output has no reader, saying so on stderr, whatever its log level", async () => {
    // At warn nothing of the start is logged; the first line is written to check the output anyway.
    const worker = startWorker({ LOG_LEVEL: "warn" }, { readerGone: true });
    expect((await worker.exit).code).toBe(EXIT_CODES.logOutputUnwritable);
    expect(worker.stderr).toEqual(["hookline-worker: cannot write its log to standard output (EPIPE); exiting"]);
  });

  it("waits for a Redis that comes up after it, and then starts", async () => {
    const redis = await startRedisServer();
    await redis.stop();
    try {
      const worker = startWorker({ REDIS_URL: redis.url, STARTUP_TIMEOUT_SECONDS: "60" });
      await worker.line(/waiting for Redis at 127\.0\.0\.1:\d+ \(connection refused\); giving up in \d+ s/);
      await redis.start();
      await new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (worker.stdout.some((l) => l.includes("Hookline worker ready"))) {
            clearInterval(check);
            resolve();
          }
        }, 50);
        void worker.exit.then(({ code }) => reject(new Error(`exited (${code}):\n${worker.stderr.join("\n")}`)));
      });
      worker.child.kill("SIGTERM");
      expect((await worker.exit).code).toBe(0);
      expect(worker.stderr).toHaveLength(1);
    } finally {
      await redis.stop();
    }
  });
});
