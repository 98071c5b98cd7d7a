/**
 * Exit codes a script can branch on. Documented in the CLI's README; keep them stable.
 */
export const EXIT = {
  ok: 0,
  /** Anything not covered below. */
  failure: 1,
  /** Unknown command, missing argument, a flag that does not parse. */
  usage: 2,
  /** Not logged in, or the key was refused (401/403). */
  config: 3,
  /** The id does not exist (or belongs to another tenant: the same 404). */
  notFound: 4,
  /** The API refused the input (400, 409, 413, 422). */
  rejected: 5,
  /** The API could not be reached, timed out, or failed (5xx). */
  unavailable: 6,
  /** Rate limited (429) after the retries. */
  rateLimited: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI explains in one line and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.config;
  if (status === 404) return EXIT.notFound;
  if (status === 429) return EXIT.rateLimited;
  if (status >= 500) return EXIT.unavailable;
  if (status >= 400) return EXIT.rejected;
  return EXIT.failure;
}
