import { Webhook } from "standardwebhooks";
import { startReceiver, type Receiver } from "@hookline/testing";
import { publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/** Momentus-style webhooks (003) with OAuth client credentials, on the same engine. */
let engine: Engine;
let tokenServer: Receiver;
let issued = 0;
let tokenServerUp = true;
let r: Receiver;
let rejectToken: string | undefined;
beforeAll(async () => {
  engine = await startEngine();
  tokenServer = await startReceiver(() => {
    if (!tokenServerUp) return { status: 500, body: "down" };
    issued++;
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ access_token: `tok-${issued}`, token_type: "Bearer", expires_in: 3600 }),
    };
  });
  r = await startReceiver((q) => ({ status: q.headers.authorization === `Bearer ${rejectToken}` ? 401 : 200 }));
});
afterAll(async () => {
  await Promise.all([tokenServer.close(), r.close()]);
  await engine.close();
});

interface WebhookBody {
  id: string;
  name: string;
  trigger_action: string;
  timeout: number;
  active: boolean;
  asynchronous: boolean;
  ignore_for_api: boolean;
  authentication: Record<string, unknown>;
}

const oauth = () => ({
  method: "oauth",
  token_url: `${tokenServer.url}/oauth/token`,
  client_id: "hookline",
  client_secret: "s3cret",
  scope: "webhooks",
});

describe("/v1/webhooks", () => {
  it("creates a webhook with Momentus's defaults and keeps its name unique and trigger action fixed", async () => {
    const t = await engine.newTenant();
    const body = { name: "Account Update", trigger_action: "account.updated", url: r.url, authentication: oauth() };
    const created = await t.request<WebhookBody>("POST", "/v1/webhooks", { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Account Update",
      trigger_action: "account.updated",
      timeout: 15,
      asynchronous: true,
      ignore_for_api: false,
      active: true,
      authentication: { method: "oauth", token_url: `${tokenServer.url}/oauth/token`, client_id: "hookline", scope: "webhooks" },
    });
    expect(created.text).not.toContain("s3cret");
    expect((await t.request<{ secret_key: string }>("GET", `/v1/webhooks/${created.body.id}/secret`)).body.secret_key).toMatch(/^whsec_/);
    expect((await t.request("POST", "/v1/webhooks", { body })).status).toBe(409);
    expect((await t.request("PATCH", `/v1/webhooks/${created.body.id}`, { body: { trigger_action: "account.created" } })).status).toBe(400);
    const edited = await t.request<WebhookBody>("PATCH", `/v1/webhooks/${created.body.id}`, { body: { timeout: 30, name: "Renamed" } });
    expect(edited.body).toMatchObject({ timeout: 30, name: "Renamed", trigger_action: "account.updated" });
    expect((await t.request("POST", "/v1/webhooks", { body: { ...body, authentication: { ...oauth(), method: "basic" } } })).status).toBe(
      400,
    );
    expect((await t.request("DELETE", `/v1/webhooks/${created.body.id}`)).status).toBe(204);
  });

  it("sends a cached OAuth token as Bearer, and on a 401 fetches one new token and tries once more", async () => {
    const t = await engine.newTenant();
    const created = await t.request<WebhookBody>("POST", "/v1/webhooks", {
      body: { name: "oauth", trigger_action: "invoice.paid", url: r.url, authentication: oauth() },
    });
    const secret = (await t.request<{ secret_key: string }>("GET", `/v1/webhooks/${created.body.id}/secret`)).body.secret_key;
    const tokensBefore = tokenServer.requests.length;
    const before = r.requests.length;
    const first = await publish(t.request, "invoice.paid", { n: 1 });
    const second = await publish(t.request, "invoice.paid", { n: 2 });
    await settledDeliveries(t.request, first.id);
    await settledDeliveries(t.request, second.id);
    const got = r.requests.slice(before);
    expect(got.map((q) => q.headers.authorization)).toEqual([`Bearer tok-${issued}`, `Bearer tok-${issued}`]);
    expect(tokenServer.requests.length - tokensBefore).toBe(1);
    const tokenRequest = new URLSearchParams(tokenServer.requests.at(-1)?.body);
    expect(Object.fromEntries(tokenRequest)).toEqual({
      grant_type: "client_credentials",
      client_id: "hookline",
      client_secret: "s3cret",
      scope: "webhooks",
    });
    for (const q of got)
      expect(new Webhook(secret).verify(q.body, q.headers as Record<string, string>)).toMatchObject({ type: "invoice.paid" });

    // The receiver now refuses the cached token: one new token, one more request, one attempt.
    rejectToken = `tok-${issued}`;
    const third = await publish(t.request, "invoice.paid", { n: 3 });
    const [delivery] = await settledDeliveries(t.request, third.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempt_count: 1 });
    expect(tokenServer.requests.length - tokensBefore).toBe(2);
    expect(r.requests.slice(before + 2).map((q) => q.headers.authorization)).toEqual([`Bearer ${rejectToken}`, `Bearer tok-${issued}`]);
    rejectToken = undefined;
  });

  it("records a token endpoint failure on the attempt and retries", async () => {
    const t = await engine.newTenant();
    await t.request("POST", "/v1/webhooks", {
      body: { name: "broken oauth", trigger_action: "token.broken", url: r.url, authentication: { ...oauth(), client_id: "other" } },
    });
    tokenServerUp = false;
    const event = await publish(t.request, "token.broken", {});
    const [delivery] = await settledDeliveries(t.request, event.id, ["failed"]);
    tokenServerUp = true;
    expect(delivery?.attempts.map((a) => a.error_kind)).toEqual(["oauth", "oauth", "oauth", "oauth"]);
    const full = await t.request<{ attempts: { error_message: string }[] }>("GET", `/v1/deliveries/${delivery?.id}`);
    expect(full.body.attempts[0]?.error_message).toBe("token endpoint answered 500");
    expect(full.text).not.toContain("s3cret");
  });

  it("skips API-originated events for ignore-for-API webhooks, and inactive webhooks get nothing", async () => {
    const t = await engine.newTenant();
    const ignoring = await t.request<WebhookBody>("POST", "/v1/webhooks", {
      body: { name: "no loops", trigger_action: "account.updated", url: r.url, ignore_for_api: true, authentication: oauth() },
    });
    const fromApi = await publish(t.request, "account.updated", {});
    expect(fromApi.deliveries).toBe(0);
    const fromUi = await t.request<{ id: string; deliveries: number }>("POST", "/v1/events", {
      body: { event_type: "account.updated", data: {}, origin: "ui" },
    });
    expect(fromUi.body.deliveries).toBe(1);
    await settledDeliveries(t.request, fromUi.body.id);

    await t.request("PATCH", `/v1/webhooks/${ignoring.body.id}`, { body: { active: false } });
    const whileInactive = await t.request<{ deliveries: number }>("POST", "/v1/events", {
      body: { event_type: "account.updated", data: {}, origin: "ui" },
    });
    expect(whileInactive.body.deliveries).toBe(0);
    const reactivated = await t.request<WebhookBody>("PATCH", `/v1/webhooks/${ignoring.body.id}`, { body: { active: true } });
    expect(reactivated.body.active).toBe(true);
  });

  it("blocks the publisher for synchronous webhooks and answers with each receiver's response", async () => {
    const t = await engine.newTenant();
    const answering = await startReceiver(() => ({ status: 201, body: '{"accepted":true}' }));
    const slow = await startReceiver((_q, i) => (i === 0 ? { status: 200, delayMs: 5_000 } : { status: 200 }));
    try {
      const sync = { trigger_action: "order.placed", asynchronous: false, authentication: oauth() };
      const a = await t.request<WebhookBody>("POST", "/v1/webhooks", { body: { ...sync, name: "sync", url: answering.url } });
      const b = await t.request<WebhookBody>("POST", "/v1/webhooks", { body: { ...sync, name: "slow sync", url: slow.url, timeout: 1 } });
      await t.request("POST", "/v1/webhooks", { body: { ...sync, name: "async", url: r.url, asynchronous: true } });

      const response = await t.request<{ id: string; deliveries: number; synchronous: Record<string, unknown>[] }>("POST", "/v1/events", {
        body: { event_type: "order.placed", data: { order: 1 } },
      });
      expect(response.status).toBe(202);
      expect(response.body.deliveries).toBe(3);
      expect(response.body.synchronous).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ endpoint_id: a.body.id, status: "succeeded", status_code: 201, response_body: '{"accepted":true}' }),
          expect.objectContaining({ endpoint_id: b.body.id, status: "pending", status_code: null, error_kind: "timeout" }),
        ]),
      );
      expect(response.body.synchronous).toHaveLength(2);
      // Synchronous deliveries were made by the API, once; the slow one is retried by a worker.
      expect(answering.requests).toHaveLength(1);
      const settled = await settledDeliveries(t.request, response.body.id, ["succeeded"]);
      expect(settled.find((d) => d.endpoint_id === b.body.id)?.attempt_count).toBe(2);
      expect(answering.requests).toHaveLength(1);
    } finally {
      await Promise.all([answering.close(), slow.close()]);
    }
  });
});
