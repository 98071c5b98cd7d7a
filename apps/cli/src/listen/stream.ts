import { EventSourceParserStream } from "eventsource-parser/stream";
import { CliError, EXIT } from "../exit-codes.js";

/** One delivery as the API streams it: the signed request, exactly as a real endpoint would get it. */
export interface StreamedDelivery {
  readonly delivery_id: string;
  readonly attempt_id: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface StreamHandlers {
  /** The stream is open and the session's endpoint is running. */
  readonly onReady: () => void;
  readonly onDelivery: (delivery: StreamedDelivery) => void;
  /** The connection dropped; reconnecting in `delayMs`. */
  readonly onDisconnect: (reason: string, delayMs: number) => void;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * Holds `GET /v1/listen/{id}/stream` open until `signal` aborts, reconnecting when it drops (a
 * restarted API, a proxy's idle timeout). Nothing is lost meanwhile: while no stream is open the
 * session's endpoint is paused and holds its deliveries, and an attempt whose answer never came
 * back is retried on the endpoint's schedule. Throws only when reconnecting cannot help (the
 * session is gone, the key was refused).
 */
export async function holdStream(
  connection: { url: string; apiKey: string },
  sessionId: string,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let reason: string;
    try {
      const response = await fetch(`${connection.url}/v1/listen/${encodeURIComponent(sessionId)}/stream`, {
        headers: { authorization: `Bearer ${connection.apiKey}`, accept: "text/event-stream" },
        signal,
      });
      if (response.status === 404)
        throw new CliError("The listen session is gone (deleted elsewhere): start `hookline listen` again.", EXIT.notFound);
      if (response.status === 401 || response.status === 403) throw new CliError("The API key was refused.", EXIT.config);
      if (!response.ok || !response.body) {
        reason = `the API answered ${response.status}`;
      } else {
        const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
        for await (const event of events) {
          if (event.event === "ready") {
            failures = 0;
            handlers.onReady();
          } else if (event.event === "delivery") {
            handlers.onDelivery(JSON.parse(event.data) as StreamedDelivery);
          }
        }
        reason = "the API closed the stream";
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof CliError) throw error;
      reason = (error as Error).message;
    }
    const delayMs = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** failures++);
    handlers.onDisconnect(reason, delayMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
