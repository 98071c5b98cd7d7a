import { deliveryBody, signedHeaders, USER_AGENT, type AttemptResult, type HttpClient, type TokenCache } from "@hookline/delivery";
import type { DeliveryWork } from "./ports.js";

/**
 * Signs and sends one attempt. For OAuth endpoints it sends a cached token, and on a 401 fetches
 * one fresh token and tries once more; the endpoint's timeout bounds each request. `traceparent`
 * (the attempt's span, for an endpoint that asked for it while tracing is on) goes as a header.
 */
export async function send(
  work: DeliveryWork,
  { http, tokens }: { http: HttpClient; tokens: TokenCache },
  traceparent?: string,
): Promise<AttemptResult> {
  const body = deliveryBody(work.endpoint.flavour, { event: work.event, endpointName: work.endpoint.name });
  const timeoutMs = work.endpoint.timeoutSeconds * 1000;
  const post = (authorization?: string) =>
    http.send({
      url: work.endpoint.url,
      body,
      timeoutMs,
      headers: {
        ...work.endpoint.headers,
        ...(authorization && { authorization }),
        ...(traceparent !== undefined && { traceparent }),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        ...signedHeaders(work.endpoint.secrets, work.id, Math.floor(Date.now() / 1000), body),
      },
    });
  const oauth = work.endpoint.oauth;
  if (!oauth) return post();

  const startedAt = new Date();
  const first = await tokens.token(oauth, timeoutMs);
  if ("error" in first) return { startedAt, durationMs: Date.now() - startedAt.getTime(), errorKind: "oauth", errorMessage: first.error };
  const result = await post(`Bearer ${first.token}`);
  if (result.statusCode !== 401) return result;
  const fresh = await tokens.token(oauth, timeoutMs, { force: true });
  if ("error" in fresh) return { ...result, errorMessage: `401, then ${fresh.error}` };
  return post(`Bearer ${fresh.token}`);
}
