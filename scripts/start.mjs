// `npm start`: build what is stale, apply pending migrations, then run the API and the worker as
// separate processes. Stops both on SIGINT/SIGTERM, and both when either one exits.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const say = (message) => process.stdout.write(`hookline: ${message}\n`);

function runStep(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    say(`${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

say("building (turbo skips what is up to date)");
runStep("build", process.execPath, [join(root, "node_modules/turbo/bin/turbo"), "run", "build", "--output-logs=errors-only"]);
say("applying migrations");
runStep("migrate", process.execPath, [join(root, "scripts/migrate.mjs")]);

const workerCount = Number(process.env.WORKER_PROCESSES ?? "1");
if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > 64) {
  say(`WORKER_PROCESSES must be an integer from 1 to 64 (got "${process.env.WORKER_PROCESSES}")`);
  process.exit(1);
}

const children = [];
let exiting = false;
function launch(name, entry) {
  const child = spawn(process.execPath, ["--enable-source-maps", join(root, entry)], { cwd: root, env, stdio: "inherit" });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (!exiting) {
      say(`${name} exited (${code ?? signal}); stopping the others`);
      stopAll(code ?? 1);
    }
  });
}

function stopAll(exitCode) {
  exiting = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const alive = () => children.some((c) => c.exitCode === null && c.signalCode === null);
  const wait = setInterval(() => {
    if (!alive()) {
      clearInterval(wait);
      process.exit(exitCode);
    }
  }, 50);
}

launch("api", "apps/api/dist/main.js");
for (let i = 0; i < workerCount; i++) launch(`worker ${i + 1}`, "apps/worker/dist/main.js");
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
