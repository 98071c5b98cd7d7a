// `npm start`: build what is stale, apply pending migrations, then run the API and the worker as
// separate processes. Stops both on SIGINT/SIGTERM, and both when either one exits; a process
// still running past its deadline is killed, and the exit code says so.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const say = (message) => process.stdout.write(`hookline: ${message}\n`);
// A reader of this output that went away must not end the launcher with an unhandled EPIPE and
// leave its children running; its lines are lost, the children are still stopped.
process.stdout.on("error", () => undefined);

// What a child's exit code says (EXIT_REASONS of @hookline/core, imported once the build has made it).
let reasons = {};
const exitWords = (code) => `${code}${reasons[code] ? `: ${reasons[code]}` : ""}`;

function runStep(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    say(`${label} failed (exit ${result.status === null ? result.signal : exitWords(result.status)})`);
    process.exit(result.status ?? 1);
  }
}

say("building (turbo skips what is up to date)");
runStep("build", process.execPath, [join(root, "node_modules/turbo/bin/turbo"), "run", "build", "--output-logs=errors-only"]);
const { EXIT_CODES, EXIT_REASONS } = await import("@hookline/core");
reasons = EXIT_REASONS;
say("applying migrations");
runStep("migrate", process.execPath, [join(root, "scripts/migrate.mjs")]);

// The deadline a stopping child gets before SIGKILL: the workers' SHUTDOWN_TIMEOUT_SECONDS or the
// API's own 10 s, whichever is longer, and 5 s more for their exit. Read as the processes read it.
const { loadConfig } = await import("@hookline/config");
const shutdownTimeoutMs = (() => {
  try {
    return loadConfig({ ...process.env, ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || Buffer.alloc(32).toString("base64") }).worker
      .shutdownTimeoutMs;
  } catch {
    return 30_000; // the processes will name the bad setting themselves
  }
})();
const STOP_DEADLINE_MS = Math.max(shutdownTimeoutMs, 10_000) + 5_000;
/** Exit code of `npm start` when it had to SIGKILL a process that ignored SIGTERM. */
const EXIT_KILLED = EXIT_CODES.killed;

const workerCount = Number(process.env.WORKER_PROCESSES ?? "1");
if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > 64) {
  say(`WORKER_PROCESSES must be an integer from 1 to 64 (got "${process.env.WORKER_PROCESSES}")`);
  process.exit(1);
}

const children = [];
const names = new Map();
let exiting = false;
function launch(name, entry) {
  const child = spawn(process.execPath, ["--enable-source-maps", join(root, entry)], { cwd: root, env, stdio: "inherit" });
  children.push(child);
  names.set(child, name);
  child.on("exit", (code, signal) => {
    if (!exiting) {
      say(`${name} exited (${code === null ? signal : exitWords(code)}); stopping the others`);
      stopAll(code ?? 1);
    }
  });
}

function stopAll(exitCode) {
  if (exiting) return;
  exiting = true;
  const running = () => children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running()) child.kill("SIGTERM");
  const wait = setInterval(() => {
    if (running().length === 0) {
      clearInterval(wait);
      process.exit(exitCode);
    }
  }, 50);
  setTimeout(() => {
    const stuck = running();
    if (stuck.length === 0) return;
    say(`${stuck.map((c) => names.get(c)).join(", ")} still running ${STOP_DEADLINE_MS / 1000} s after SIGTERM; killed (SIGKILL)`);
    for (const child of stuck) child.kill("SIGKILL");
    exitCode = EXIT_KILLED;
  }, STOP_DEADLINE_MS).unref();
}

launch("api", "apps/api/dist/main.js");
for (let i = 0; i < workerCount; i++) launch(`worker ${i + 1}`, "apps/worker/dist/main.js");
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
