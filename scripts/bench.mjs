// `npm run bench`: builds what is stale (the API and workers run from their build output, as in
// production), then runs the benchmark driver from source.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const run = (args) => spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" }).status ?? 1;

if (run([join(root, "node_modules/turbo/bin/turbo"), "run", "build", "--output-logs=errors-only"]) !== 0) process.exit(1);
process.exit(run(["--conditions=hookline-source", "--import", "tsx", join(root, "bench/src/run.ts")]));
