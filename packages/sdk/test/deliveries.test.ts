import { startHarness, type Harness } from "@hookline/api/harness";
import { createLogger } from "@hookline/core";
import { startReceiver, type Receiver, type ReceivedRequest } from "@hookline/testing";
import { processDelivery, startWorker, type RunningWorker } from "@hookline/worker";
import { Hookline, Webhook, type DeliveryWithAttempts } from "../src/index.js";

/**
 * Deliveries made by a real worker to a real receiver: retrying a failed one through the SDK,
 * and verifying what arrives with the SDK's Webhook.
 */
let h: Harness;
let worker: RunningWorker;
let hookline: Hookline;
const receivers: Receiver[] = [];
beforeAll(async () => {
  // Three quick retries: a delivery to a failing receiver fails after four attempts.
  h = await startHarness({ RETRY_SCHEDULE: "0.05,0.05,0.05" });
  worker = startWorker(h.config, createLogger({ level: h.config.logLevel, name: "sdk-test-worker" }), processDelivery);
  await worker.ready;
  hookline = new Hookline({ apiKey: h.apiKey, baseUrl: h.api.url });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await worker.stop();
  await h.close();
});

async function receiver(reply: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(reply);
  receivers.push(started);
  return started;
}

/** The delivery once the worker has settled it in `status`: written by another process, so polled. */
async function deliveryIn(id: string, status: DeliveryWithAttempts["status"]): Promise<DeliveryWithAttempts> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const delivery = await hookline.deliveries.get(id);
    if (delivery.status === status) return delivery;
    if (Date.now() > deadline) throw new Error(`delivery ${id} is ${delivery.status}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const headersOf = (request: ReceivedRequest) => request.headers as Record<string, string>;

describe("deliveries", () => {
  it("retries a failed delivery, which then succeeds with the same webhook-id", async () => {
    let healthy = false;
    const r = await receiver(() => ({ status: healthy ? 200 : 503 }));
    const endpoint = await hookline.endpoints.create({ name: "flaky", url: r.url });
    await hookline.subscriptions.create({ endpoint_id: endpoint.id, event_types: ["payment.*"] });
    const published = await hookline.events.publish({ event_type: "payment.created", data: { amount: 10 } });

    await r.waitFor(4);
    const id = (await hookline.events.get(published.id)).deliveries[0]!.id;
    const failed = await deliveryIn(id, "failed");
    expect(failed.attempts.map((a) => a.status_code)).toEqual([503, 503, 503, 503]);

    healthy = true;
    const retried = await hookline.deliveries.retry(id);
    expect(retried).toMatchObject({ id, status: "pending" });
    await r.waitFor(5);
    const succeeded = await deliveryIn(id, "succeeded");
    expect(succeeded).toMatchObject({ attempt_count: 5, last_status_code: 200 });
    expect(succeeded.attempts.at(-1)).toMatchObject({ attempt_number: 5, status_code: 200 });
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"]))).toEqual(new Set([id]));

    const listed = await hookline.deliveries.list(endpoint.id, { status: "succeeded" }).toArray();
    expect(listed.map((d) => d.id)).toEqual([id]);
  });

  it("delivers what Webhook verifies with the endpoint's secret", async () => {
    const r = await receiver(() => ({ status: 200 }));
    const endpoint = await hookline.endpoints.create({ name: "verified", url: r.url });
    await hookline.subscriptions.create({ endpoint_id: endpoint.id, event_types: ["invoice.paid"] });
    const published = await hookline.events.publish({ event_type: "invoice.paid", data: { invoice: "inv_1" } });

    const [request] = await r.waitFor(1);
    const webhook = new Webhook(await hookline.endpoints.secret(endpoint.id));
    expect(await webhook.verify(request!.body, headersOf(request!))).toEqual({
      id: published.id,
      type: "invoice.paid",
      timestamp: expect.any(String),
      data: { invoice: "inv_1" },
    });
  });

  it("signs with the old and the new secret during a rotation, each verifying on its own", async () => {
    const r = await receiver(() => ({ status: 200 }));
    const endpoint = await hookline.endpoints.create({ name: "rotating", url: r.url });
    await hookline.subscriptions.create({ endpoint_id: endpoint.id, event_types: ["user.updated"] });
    const old = await hookline.endpoints.secret(endpoint.id);
    const { secret: next } = await hookline.endpoints.rotateSecret(endpoint.id, { grace_period_seconds: 3600 });
    await hookline.events.publish({ event_type: "user.updated", data: {} });

    const [request] = await r.waitFor(1);
    expect(headersOf(request!)["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const secret of [old, next]) {
      await expect(new Webhook(secret).verify(request!.body, headersOf(request!))).resolves.toMatchObject({ type: "user.updated" });
    }
  });
});
