import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { ThreadData } from "./thread-data.js";

/**
 * Starts a sandbox thread. Built (dist/*.js), the thread's entry is thread.js beside this file.
 * From source (Jest, tsx: this file is pool code loaded as .ts), plain Node cannot run thread.ts,
 * so the thread first registers tsx's loader and then imports thread.ts through it. tsx is a
 * development dependency of the workspace; a built package never uses this path.
 */
export function startThread(data: ThreadData, resourceLimits: ResourceLimits): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    return new Worker(new URL("./thread.js", here), { workerData: data, resourceLimits });
  }
  const tsxApi = pathToFileURL(createRequire(here).resolve("tsx/esm/api")).href;
  const entry = new URL("./thread.ts", here).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, resourceLimits });
}
