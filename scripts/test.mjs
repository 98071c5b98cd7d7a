// Runs the Jest suite once over all workspaces and ends with one plain summary line
// ("N passed, N failed") that CI and people can read without knowing Jest's format.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "hookline-jest-"));
const resultsFile = join(out, "results.json");
const jest = join(root, "node_modules", "jest", "bin", "jest.js");

const run = spawnSync(
  process.execPath,
  ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", jest, "--json", `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
);

let summary = "0 passed, 0 failed";
try {
  const results = JSON.parse(readFileSync(resultsFile, "utf8"));
  const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
  summary = `${results.numPassedTests} passed, ${failed} failed`;
  if (results.numPendingTests > 0) summary += `, ${results.numPendingTests} skipped`;
} catch {
  summary = "0 passed, 1 failed";
}
rmSync(out, { recursive: true, force: true });
process.stdout.write(`\njest: ${summary}\n`);
process.exit(run.status ?? 1);
