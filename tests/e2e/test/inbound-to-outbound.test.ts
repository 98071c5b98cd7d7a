import { createHmac } from "node:crypto";
import { endpointFor, eventually, receiverPool, settledDeliveries, startEngine, verifyWebhook, type Engine } from "../src/engine.js";

let engine: Engine;
const receivers = receiverPool();
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await receivers.closeAll();
  await engine.close();
});

const STRIPE_SECRET = "whsec_stripe_test_secret_0123456789";

/** Signs a body as Stripe signs its webhooks: `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`. */
function stripeSignature(body: string, secret: string, at = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${at}.${body}`).digest("hex");
  return `t=${at},v1=${v1}`;
}

// The workflow a tenant writes for Stripe: verify, reshape, publish into the outbound engine.
const STRIPE_WORKFLOW = `
const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  if (!utils.verifyWebhook({ provider: "stripe", secret: env.STRIPE_WEBHOOK_SECRET })) {
    return new Response("bad signature", { status: 400 });
  }
  const event = await request.json();
  const published = await utils.publish({
    event_type: "payment.succeeded",
    object_id: event.data.object.id,
    idempotency_key: event.id,
    data: { payment_id: event.data.object.id, amount: event.data.object.amount },
  });
  return Response.json({ received: true, event: published.id });
};
export default workflow;
`;

describe("an inbound call publishing into the outbound engine", () => {
  it("verifies a Stripe-signed request in the workflow and delivers the event it publishes, signed, to a subscribed endpoint", async () => {
    const tenant = await engine.newTenant("stripe");
    const receiver = await receivers.start();
    const { secret } = await endpointFor(tenant.request, `${receiver.url}/partner`, ["payment.*"]);

    const envs = (await tenant.request<{ id: string; kind: string }[]>("GET", "/v1/environments")).body;
    const live = envs.find((e) => e.kind === "live")!;
    await tenant.request("PUT", `/v1/environments/${live.id}/variables/STRIPE_WEBHOOK_SECRET`, {
      body: { value: STRIPE_SECRET, secret: true },
    });
    const endpoint = await tenant.request<{ id: string; urls: { environment_id: string; url: string }[] }>(
      "POST",
      "/v1/inbound_endpoints",
      {
        body: { name: "Stripe", path: "/webhook/stripe", method: "POST", access_level: "none" },
      },
    );
    const saved = await tenant.request("PUT", `/v1/inbound_endpoints/${endpoint.body.id}/workflow`, {
      body: { code: STRIPE_WORKFLOW, publish: true },
    });
    expect(saved.status).toBe(200);
    const url = endpoint.body.urls.find((u) => u.environment_id === live.id)!.url;

    const stripeEvent = { id: "evt_stripe_1", type: "payment_intent.succeeded", data: { object: { id: "pi_123", amount: 4200 } } };
    const body = JSON.stringify(stripeEvent);
    const call = (signature: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });

    // A forged signature publishes nothing.
    const forged = await call(stripeSignature(body, "whsec_someone_else"));
    expect(forged.status).toBe(400);
    // A signature older than the tolerance (300 s) is refused too.
    expect((await call(stripeSignature(body, STRIPE_SECRET, Math.floor(Date.now() / 1000) - 600))).status).toBe(400);

    const accepted = await call(stripeSignature(body, STRIPE_SECRET));
    expect(accepted.status).toBe(200);
    const answer = (await accepted.json()) as { received: boolean; event: string };
    expect(answer).toEqual({ received: true, event: expect.stringMatching(/^evt_/) });

    const [delivered] = await receiver.waitFor(1);
    expect(verifyWebhook(secret, delivered!)).toEqual({
      id: answer.event,
      type: "payment.succeeded",
      timestamp: expect.stringMatching(/Z$/),
      data: { payment_id: "pi_123", amount: 4200 },
    });
    const [delivery] = await settledDeliveries(tenant.request, answer.event);
    expect(delivery?.status).toBe("succeeded");

    // Stripe retrying the same event publishes nothing new: the workflow used its id as the idempotency key.
    const again = (await (await call(stripeSignature(body, STRIPE_SECRET))).json()) as { event: string };
    expect(again.event).toBe(answer.event);

    // The execution names the event it published, and the origin is the inbound one.
    const executionId = accepted.headers.get("x-hookline-execution-id");
    const execution = await eventually(async () => {
      const found = await tenant.request<{ outcome: string; published_event_ids: string[] }>("GET", `/v1/executions/${executionId}`);
      return found.status === 200 ? found.body : undefined;
    });
    expect(execution).toMatchObject({ outcome: "ok", published_event_ids: [answer.event] });
    const stored = await engine.db.pool.query<{ origin: string }>(`SELECT origin FROM events WHERE id = $1`, [answer.event]);
    expect(stored.rows[0]!.origin).toBe("inbound");
    expect(receiver.requests).toHaveLength(1);
  });
});
