import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { ThreadData } from "./thread-data.js";

/**
 * Starts a sandbox thread. Built (dist/*.js), the thread's entry is thread.js beside this file.
 * From source (Jest, tsx: this file was loaded as .ts), plain Node cannot run thread.ts, so the
 * thread first registers tsx's ESM loader hooks in itself and then imports thread.ts through them.
 * tsx is a development dependency of the workspace; a built package never takes this path.
 */
export function startThread(data: ThreadData, resourceLimits: ResourceLimits): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    return new Worker(new URL("./thread.js", here), { workerData: data, resourceLimits });
  }
  const entry = new URL("./thread.ts", here).href;
  const bootstrap = `import(${JSON.stringify(tsxEsmApi(here))}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, resourceLimits });
}

/**
 * The ESM build of tsx's "tsx/esm/api", read from tsx's own exports map: require.resolve would
 * give the CommonJS build, whose register() cannot load its hooks from a worker's eval code.
 */
function tsxEsmApi(from: string): string {
  const packageJson = createRequire(from).resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(packageJson, "utf8")) as { exports?: Record<string, { import?: { default?: string } }> };
  const target = manifest.exports?.["./esm/api"]?.import?.default;
  if (typeof target !== "string") throw new Error("tsx does not export an ESM ./esm/api: cannot run sandbox threads from source");
  return pathToFileURL(join(dirname(packageJson), target)).href;
}
