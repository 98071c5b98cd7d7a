/**
 * A host call refused for a reason the tenant may see (validation, SSRF refusal...). Inside the
 * sandbox the call rejects with an Error carrying this message, `code` and `details` (details are
 * copied as JSON). Any other error thrown by a HostCalls implementation stays on the host: the
 * tenant sees only that the call failed.
 */
export class HostCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HostCallError";
  }
}
