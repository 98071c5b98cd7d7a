import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnTsProcess, type SpawnedProcess } from "@hookline/testing";

/** The CLI's entry point, run from source as `hookline` would run its build. */
export const CLI_MAIN = fileURLToPath(new URL("../../../apps/cli/src/main.ts", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A user of the CLI: their own config directory (removed by `cleanup`) and environment. */
export function cliUser(env: Record<string, string> = {}) {
  const configDir = mkdtempSync(join(tmpdir(), "hookline-cli-"));
  const fullEnv = () => ({ PATH: process.env.PATH ?? "", HOME: configDir, HOOKLINE_CONFIG_DIR: configDir, ...env });
  return {
    configDir,
    env,
    /** Runs one command line to its end. */
    run(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
      const child = spawn(process.execPath, ["--conditions=hookline-source", "--import", "tsx", CLI_MAIN, ...args], {
        env: { ...fullEnv(), ...extraEnv },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    },
    /** Starts a long-running command (`listen`), its output readable line by line. */
    start(args: readonly string[]): SpawnedProcess {
      return spawnTsProcess(CLI_MAIN, { ...fullEnv() }, args);
    },
    cleanup: () => rmSync(configDir, { recursive: true, force: true }),
  };
}
