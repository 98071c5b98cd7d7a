import type { StreamedDelivery } from "./stream.js";

/** What the local URL answered, in the shape `POST /v1/listen/{id}/results` takes. */
export interface LocalAnswer {
  readonly delivery_id: string;
  readonly attempt_id: string;
  readonly status_code?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly duration_ms: number;
  readonly error?: string;
}

/** The API keeps this much of an answer (as much as it accepts); the attempt log shows less anyway. */
const BODY_LIMIT = 65_536;
/** Under the session endpoint's 30 s timeout, so a slow local server is reported, not timed out twice. */
const LOCAL_TIMEOUT_MS = 25_000;
/** Set by fetch itself; copying them would be refused or wrong. */
const HOP_BY_HOP = new Set(["host", "content-length", "connection", "transfer-encoding", "keep-alive"]);

/**
 * Posts one streamed delivery to the local URL with its signed headers untouched, so the local
 * server verifies it with the session's secret exactly as it would a real delivery.
 */
export async function forwardToLocal(target: string, delivery: StreamedDelivery): Promise<LocalAnswer> {
  const headers = Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const ids = { delivery_id: delivery.delivery_id, attempt_id: delivery.attempt_id };
  try {
    const response = await fetch(target, {
      method: "POST",
      headers,
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(LOCAL_TIMEOUT_MS),
    });
    const body = (await response.text()).slice(0, BODY_LIMIT);
    return { ...ids, status_code: response.status, headers: Object.fromEntries(response.headers), body, duration_ms: elapsed() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message =
      (error as Error).name === "TimeoutError"
        ? `no answer in ${LOCAL_TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ...ids, duration_ms: elapsed(), error: `${target}: ${message}`.slice(0, 1000) };
  }
}

/** The event type of a delivery, for the printed line; the envelope's `type`. */
export function eventTypeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { type?: unknown; event_type?: unknown };
    const type = parsed.type ?? parsed.event_type;
    return typeof type === "string" ? type : "?";
  } catch {
    return "?";
  }
}
