import { HooklineError } from "@hookline/sdk";
import { CommanderError } from "commander";
import { createProgram } from "./program.js";
import { CliError, EXIT, exitCodeForStatus } from "./exit-codes.js";

/** Runs one command line; answers the exit code (what went wrong was printed on stderr). */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version end with a "zero" error; commander has printed what was asked or wrong.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`hookline: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof HooklineError) {
    const lines = [`hookline: ${error.message}${error.status ? ` (${error.status} ${error.code})` : ` (${error.code})`}`];
    for (const problem of error.details) lines.push(`  ${problem.field}: ${problem.message}`);
    if (error.requestId) lines.push(`  request id: ${error.requestId}`);
    process.stderr.write(`${lines.join("\n")}\n`);
    return error.status === 0 ? EXIT.unavailable : exitCodeForStatus(error.status);
  }
  process.stderr.write(`hookline: ${(error as Error).stack ?? String(error)}\n`);
  return EXIT.failure;
}
