// Runs the Jest suite once over all workspaces and ends with one plain summary line
// ("N passed, N failed") that CI and people can read without knowing Jest's format.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "hookline-jest-"));
const resultsFile = join(out, "results.json");
const jest = join(root, "node_modules", "jest", "bin", "jest.js");

const args = process.argv.slice(2);
const label = args.find((a) => a.startsWith("--label="))?.slice("--label=".length) ?? "jest";
const jestArgs = args.filter((a) => !a.startsWith("--label="));

const run = spawnSync(
  process.execPath,
  ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", jest, "--json", `--outputFile=${resultsFile}`, ...jestArgs],
  { cwd: root, stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
);

let passed = 0;
let failed = 1;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(resultsFile, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
  skipped = results.numPendingTests;
} catch {
  // no results: Jest itself failed, counted as one failure
}
rmSync(out, { recursive: true, force: true });
// CI adds up every suite it ran (npm test, npm run chaos) into one closing line.
if (process.env.HOOKLINE_TEST_TALLY) appendFileSync(process.env.HOOKLINE_TEST_TALLY, `${passed} ${failed} ${skipped}\n`);
process.stdout.write(`\n${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
process.exit(run.status ?? 1);
