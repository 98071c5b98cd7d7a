import { startReceiver, type Receiver } from "@hookline/testing";
import type { Resolver } from "@hookline/delivery";
import { publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/**
 * The SSRF guard end to end, with an installation's defaults (no allowlist): a host name that
 * resolves to a private address passes the API, as it must (DNS can change), and every attempt
 * then fails with `blocked_address` in the attempt log while the canary sees nothing.
 */
let engine: Engine;
let canary: Receiver;
const resolver: Resolver = async (hostname) => {
  if (hostname.endsWith(".example.test")) return [{ address: "127.0.0.1", family: 4 }];
  throw Object.assign(new Error(`no such host ${hostname}`), { code: "ENOTFOUND" });
};

beforeAll(async () => {
  canary = await startReceiver();
  engine = await startEngine({ ALLOW_PRIVATE_TARGETS: "" }, { resolve: resolver });
});
afterAll(async () => {
  await engine.close();
  await canary.close();
});

it("records blocked_address for a host name that resolves to loopback, and sends nothing", async () => {
  const url = `http://hooks.example.test:${new URL(canary.url).port}/in`;
  const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "rebinding", url } });
  expect(endpoint.status).toBe(201);
  await engine.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["ssrf.*"] } });

  const event = await publish(engine.request, "ssrf.try", { target: "metadata" });
  const [delivery] = await settledDeliveries(engine.request, event.id);
  expect(delivery?.status).toBe("failed");
  expect(delivery?.attempts).toHaveLength(4);
  for (const attempt of delivery?.attempts ?? []) {
    expect(attempt).toMatchObject({ status_code: null, error_kind: "blocked_address" });
  }
  const attempt = await engine.db.pool.query<{ error_message: string }>("SELECT error_message FROM attempts LIMIT 1");
  expect(attempt.rows[0]?.error_message).toMatch(
    /127\.0\.0\.1 \(resolved from hooks\.example\.test\): the address is loopback.*ALLOW_PRIVATE_TARGETS/,
  );
  expect(canary.requests).toHaveLength(0);
});

it("guards OAuth token requests too: a token URL resolving to loopback gets no request", async () => {
  const port = new URL(canary.url).port;
  const webhook = await engine.request<{ id: string }>("POST", "/v1/webhooks", {
    body: {
      name: "oauth-ssrf",
      trigger_action: "ssrf.oauth",
      url: `http://hooks.example.test:${port}/in`,
      authentication: { method: "oauth", token_url: `http://auth.example.test:${port}/token`, client_id: "c", client_secret: "s" },
    },
  });
  expect(webhook.status).toBe(201);
  const event = await publish(engine.request, "ssrf.oauth");
  const delivery = (await settledDeliveries(engine.request, event.id)).find((d) => d.endpoint_id === webhook.body.id);
  expect(delivery?.attempts[0]).toMatchObject({ error_kind: "oauth" });
  const attempt = await engine.db.pool.query<{ error_message: string }>(
    "SELECT error_message FROM attempts WHERE delivery_id = $1 LIMIT 1",
    [delivery?.id],
  );
  expect(attempt.rows[0]?.error_message).toMatch(/blocked_address/);
  expect(canary.requests).toHaveLength(0);
});
