import { listenChannel, type AttemptResult, type HttpClient } from "@hookline/delivery";
import type { ListenSender } from "@hookline/queue";

/**
 * The worker's HTTP client, with one difference: a delivery to a `hookline listen` endpoint is
 * relayed to the listening CLI instead of sent over the network, and the CLI's report of what its
 * local URL answered is the attempt's result. The engine does not know the difference: signing,
 * the attempt log, retries and failures are those of any endpoint.
 */
export function withListenRelay(http: HttpClient, sender: ListenSender, maxBodyBytes: number): HttpClient {
  return {
    ...http,
    async send(request) {
      const channel = listenChannel(request.url);
      if (channel === undefined) return http.send(request);
      const startedAt = new Date();
      const started = performance.now();
      const outcome = await sender.send(
        channel,
        { delivery_id: request.headers["webhook-id"] ?? "", headers: request.headers, body: request.body ?? "" },
        request.timeoutMs,
      );
      const elapsed = Math.round(performance.now() - started);
      if (!outcome.ok) {
        return outcome.reason === "timeout"
          ? { startedAt, durationMs: elapsed, errorKind: "timeout", errorMessage: "the listening CLI did not report an answer in time" }
          : { startedAt, durationMs: elapsed, errorKind: "connection", errorMessage: "no hookline listen is connected" };
      }
      const { result } = outcome;
      if (result.status_code === undefined) {
        return {
          startedAt,
          durationMs: result.duration_ms,
          errorKind: "connection",
          errorMessage: `the local URL: ${result.error ?? "no answer"}`.slice(0, 500),
        };
      }
      const answer: AttemptResult = {
        startedAt,
        durationMs: result.duration_ms,
        statusCode: result.status_code,
        headers: result.headers,
        body: result.body?.slice(0, maxBodyBytes),
      };
      return answer;
    },
  };
}
