#!/usr/bin/env node
// `hookline`: runs the built CLI. In a clone of the repository (`npx hookline` after `npm ci`) a
// missing or stale build is made first, as `npm start` does; an installed package ships dist/.
import { existsSync, statSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, "..");
const entry = join(app, "dist", "main.js");
const repoRoot = join(app, "..", "..");
const turbo = join(repoRoot, "node_modules", "turbo", "bin", "turbo");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// The CLI's own sources and the SDK's, which it bundles nothing of but imports from its dist/.
const sources = [join(app, "src"), join(repoRoot, "packages", "sdk", "src")];
const inRepository = existsSync(sources[0]) && existsSync(turbo);
const stale = () => !existsSync(entry) || statSync(entry).mtimeMs < Math.max(...sources.filter(existsSync).map(newestSource));
if (inRepository && stale()) {
  const built = spawnSync(process.execPath, [turbo, "run", "build", "--filter=@hookline/cli...", "--output-logs=errors-only"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
  if (built.status !== 0) {
    process.stderr.write("hookline: building the CLI failed\n");
    process.exit(1);
  }
}
await import(entry);
