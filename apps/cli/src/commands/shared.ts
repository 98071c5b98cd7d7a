import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import type { Output } from "../output.js";

/** `a,b , c` → ["a", "b", "c"]. */
export const listOf = (value: string): string[] =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** `--header 'X-Team: payments'` (repeatable) → { "X-Team": "payments" }. */
export function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf(":");
    if (at <= 0) throw new InvalidArgumentError(`--header "${value}" is not name:value`);
    headers[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return headers;
}

/** A JSON argument given inline, or `@file.json` to read it from a file (`@-` for stdin). */
export function jsonArgument(value: string): unknown {
  const text = value.startsWith("@") ? readFileSync(value === "@-" ? 0 : value.slice(1), "utf8") : value;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidArgumentError(`not JSON: ${(error as Error).message}`);
  }
}

/** Shows a ticking line on a terminal while `work` runs (one API call can take a while). */
export async function withProgress<T>(out: Output, label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const tick = () => out.progress(`${label}… ${Math.round((Date.now() - started) / 1000)} s`);
  tick();
  const timer = setInterval(tick, 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    out.done();
  }
}
