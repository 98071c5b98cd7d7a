import { Hookline, HooklineError } from "@hookline/sdk";

/** A client of the API this page was served by. */
export function apiClient(auth: { csrfToken: string } | { apiKey: string }): Hookline {
  return new Hookline({ baseUrl: window.location.origin, maxRetries: 1, ...auth });
}

/** What to tell the user about a failed call: the API's own message, with the fields it names. */
export function errorMessage(error: unknown): string {
  if (error instanceof HooklineError) {
    const fields = error.details.map((d) => `${d.field}: ${d.message}`).join("; ");
    return fields ? `${error.message} (${fields})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** JSON calls the SDK does not cover (the dashboard's own session routes). */
export async function callJson<T>(method: string, path: string, body?: unknown, csrfToken?: string): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...(csrfToken ? { "X-CSRF-Token": csrfToken } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const parsed = (await response.json().catch(() => ({}))) as { error?: { message?: string } } & T;
  if (!response.ok) throw new CallError(response.status, parsed.error?.message ?? `The call failed (${response.status}).`);
  return parsed;
}

export class CallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
