import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { jsonClient } from "./http-client.js";
import { startReceiver } from "./receiver.js";

/** What a browser and a slow integration leave open on an API that is told to stop. */
export interface LingeringConnections {
  /** The publish that waits on the synchronous webhook: settles (usually with an error) once the API closes it. */
  readonly waiting: Promise<unknown>;
  /**
   * Ends what the API did not, deletes the webhook (when an API answers at `base`: its pending
   * delivery then goes with it) and stops the receivers.
   */
  close(): Promise<void>;
}

/**
 * Opens, on the API at `base`, for the tenant of `apiKey`: an idle keep-alive connection, a
 * request whose body never finishes, and a publish waiting on a synchronous Momentus webhook
 * (OAuth, as Momentus's are) whose receiver does not answer for a minute. Resolves once all
 * three are open, the publish already at the receiver. The API must be allowed to reach
 * 127.0.0.1 (ALLOW_PRIVATE_TARGETS).
 */
export async function openLingeringConnections(base: string, apiKey: string): Promise<LingeringConnections> {
  const request = jsonClient(base, apiKey);
  const tokens = await startReceiver(() => ({
    status: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ access_token: "t", token_type: "Bearer", expires_in: 3600 }),
  }));
  const silent = await startReceiver(() => ({ status: 200, delayMs: 60_000 }));
  const webhook = await request<{ id: string }>("POST", "/v1/webhooks", {
    body: {
      name: "sync",
      trigger_action: "order.placed",
      url: silent.url,
      asynchronous: false,
      timeout: 30,
      authentication: { method: "oauth", token_url: `${tokens.url}/token`, client_id: "c", client_secret: "s" },
    },
  });
  if (webhook.status !== 201) throw new Error(`the synchronous webhook was not created (${webhook.status})`);

  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) =>
    httpRequest(`${base}/healthz`, { agent }, (res) => res.resume().on("end", resolve))
      .on("error", reject)
      .end(),
  );
  const { hostname, port } = new URL(base);
  const partial = connect(Number(port), hostname);
  partial.on("error", () => undefined);
  partial.write(
    `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${apiKey}\r\n` +
      "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
  );
  const waiting = request("POST", "/v1/events", { body: { event_type: "order.placed", data: {} } }).catch((error: unknown) => error);
  await silent.waitFor(1);
  let closed = false;
  return {
    waiting,
    async close() {
      if (closed) return;
      closed = true;
      partial.destroy();
      agent.destroy();
      await request("DELETE", `/v1/webhooks/${webhook.body.id}`).catch(() => undefined);
      await Promise.all([tokens.close(), silent.close()]);
    },
  };
}
