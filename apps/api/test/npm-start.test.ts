import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, TEST_REDIS_URL, TEST_SERVER_URL, testQueuePrefix } from "@hookline/testing";

/**
 * What the README promises a new user: `npm start` builds if it must, creates the database,
 * applies migrations, starts the API and a worker as separate processes, says where the API
 * listens, and stops both on SIGTERM.
 */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const database = `hookline_test_${process.pid}_start`;
const queue = testQueuePrefix();
const keyDir = mkdtempSync(join(tmpdir(), "hookline-key-"));
const keyFile = join(keyDir, "dev-encryption-key");

afterAll(async () => {
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
  await queue.cleanup();
  rmSync(keyDir, { recursive: true, force: true });
});

it("npx hookline runs the CLI from a clone after npm ci, building it first when its build is missing or stale", () => {
  const env = { PATH: process.env.PATH ?? "", HOME: keyDir, HOOKLINE_CONFIG_DIR: keyDir, TURBO_TELEMETRY_DISABLED: "1" };
  const version = spawnSync("npx", ["--no-install", "hookline", "--version"], { cwd: ROOT, env, encoding: "utf8" });
  expect(version.stderr).not.toContain("building the CLI failed");
  expect(version.stdout.trim()).toBe("0.1.0");
  expect(existsSync(join(ROOT, "apps/cli/dist/main.js"))).toBe(true);
  // Not logged in: a sentence and exit code 3, not a stack trace.
  const list = spawnSync("npx", ["--no-install", "hookline", "endpoints", "list"], { cwd: ROOT, env, encoding: "utf8" });
  expect(list.status).toBe(3);
  expect(list.stderr).toContain("hookline login");
}, 120_000);

/** `npm start` on this test's database, and every line it and its processes print. */
function launch(extraEnv: Record<string, string> = {}) {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      DATABASE_URL: url.toString(),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queue.prefix,
      PORT: "0",
      HOST: "127.0.0.1",
      TURBO_TELEMETRY_DISABLED: "1",
      // No ENCRYPTION_KEY: npm start in development generates one, here into a file of this test.
      HOOKLINE_DEV_KEY_FILE: keyFile,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const readers = [child.stdout, child.stderr].map((stream) => createInterface({ input: stream }));
  for (const reader of readers) reader.on("line", (line) => lines.push(line));
  return { child, lines, readers };
}

/** `npm start`, resolved once the API listens and the worker is ready. */
async function npmStart(extraEnv: Record<string, string> = {}) {
  const { child, lines, readers } = launch(extraEnv);
  let apiUrl: string | undefined;
  let workerPid: number | undefined;
  await new Promise<void>((resolve, reject) => {
    for (const reader of readers) {
      reader.on("line", (line) => {
        apiUrl ??= /Hookline API listening on (http:\S+)"/.exec(line)?.[1];
        if (line.includes("Hookline worker ready")) workerPid = Number(/"pid":(\d+)/.exec(line)?.[1]);
        if (apiUrl && workerPid) resolve();
      });
    }
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${lines.join("\n")}`)));
  });
  return { child, lines, apiUrl: apiUrl!, workerPid: workerPid! };
}

it("npm start migrates a new database and runs the API and the worker until SIGTERM", async () => {
  const { child, lines, apiUrl } = await npmStart();

  expect(lines.join("\n")).toMatch(/migrate: created the database/);
  // Both processes warned, and share the one generated key (else the worker's key check fails).
  expect(lines.filter((line) => line.includes("ENCRYPTION_KEY is not set")).length).toBeGreaterThanOrEqual(2);
  expect(existsSync(keyFile)).toBe(true);
  const health = await fetch(`${apiUrl}/healthz`);
  expect(health.status).toBe(200);
  const pids = lines.map((l) => /"pid":(\d+)/.exec(l)?.[1]).filter(Boolean);
  expect(new Set(pids).size).toBeGreaterThanOrEqual(2);

  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  expect(code).toBe(0);
  for (const pid of new Set(pids)) expect(() => process.kill(Number(pid), 0)).toThrow();
}, 180_000);

it("npm start kills a process that does not stop by its deadline, names it, and exits 70", async () => {
  // Runs after the test above (same file, in order): the database exists and is migrated.
  const { child, lines, workerPid } = await npmStart({ SHUTDOWN_TIMEOUT_SECONDS: "1" });
  // A stopped process cannot act on SIGTERM: as a worker wedged on a write would not.
  process.kill(workerPid, "SIGSTOP");
  child.kill("SIGTERM");
  // The deadline: the API's 10 s (longer than the workers' 1 s), then 5 s.
  const [code] = await once(child, "exit");
  expect(code).toBe(70);
  expect(lines.join("\n")).toMatch(/worker 1 still running 15 s after SIGTERM; killed \(SIGKILL\)/);
  expect(() => process.kill(workerPid, 0)).toThrow();
}, 180_000);

it("npm start says which dependency a process could not reach, and exits with its code", async () => {
  const closed = await freePort();
  // Redis: migrations run, then the API and the worker each find Redis missing; the first to give
  // up is named, with the reason its exit code gives.
  const noRedis = launch({ REDIS_URL: `redis://127.0.0.1:${closed}`, STARTUP_TIMEOUT_SECONDS: "1" });
  const [redisCode] = await once(noRedis.child, "close");
  expect(redisCode).toBe(81);
  expect(noRedis.lines.join("\n")).toMatch(/hookline: (api|worker 1) exited \(81: could not reach Redis\); stopping the others/);
  expect(noRedis.lines.join("\n")).toMatch(
    new RegExp(`hookline-(api|worker): cannot reach Redis at 127\\.0\\.0\\.1:${closed} \\(connection refused`),
  );

  // Postgres: the migration step finds it missing first.
  const url = new URL(TEST_SERVER_URL);
  url.port = String(closed);
  url.pathname = `/${database}`;
  const noPostgres = launch({ DATABASE_URL: url.toString(), STARTUP_TIMEOUT_SECONDS: "1" });
  const [postgresCode] = await once(noPostgres.child, "close");
  expect(postgresCode).toBe(80);
  expect(noPostgres.lines.join("\n")).toMatch(
    new RegExp(`migrate: cannot reach Postgres at [^ ]+:${closed}/${database} \\(connection refused`),
  );
  expect(noPostgres.lines.join("\n")).toMatch(/hookline: migrate failed \(exit 80: could not reach Postgres\)/);
}, 180_000);
