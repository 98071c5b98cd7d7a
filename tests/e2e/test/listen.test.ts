import { Webhook } from "standardwebhooks";
import { purgeDeletedEndpoints } from "@hookline/db";
import type { JsonRequest } from "@hookline/testing";
import { eventually, publish, receiverPool, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/**
 * `hookline listen`'s server side, driven the way the CLI drives it: a stream of deliveries, each
 * posted to a local receiver with its signed headers and the answer reported back.
 */
let engine: Engine;
const receivers = receiverPool();
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await receivers.closeAll();
  await engine.close();
});

interface Delivery {
  delivery_id: string;
  attempt_id: string;
  headers: Record<string, string>;
  body: string;
}

/** A minimal listener: reads server-sent events, forwards each delivery to `target`, reports the answer. */
function listen(request: JsonRequest, apiKey: string, sessionId: string, target: string) {
  const controller = new AbortController();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const done = (async () => {
    const response = await fetch(`${engine.api.url}/v1/listen/${sessionId}/stream`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += value;
        let at: number;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === "ready") ready();
          if (event !== "delivery" || data === undefined) continue;
          const delivery = JSON.parse(data) as Delivery;
          const started = Date.now();
          const local = await fetch(target, { method: "POST", headers: delivery.headers, body: delivery.body });
          await request("POST", `/v1/listen/${sessionId}/results`, {
            body: {
              delivery_id: delivery.delivery_id,
              attempt_id: delivery.attempt_id,
              status_code: local.status,
              body: await local.text(),
              duration_ms: Date.now() - started,
            },
          });
        }
      }
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  })();
  return { ready: isReady, stop: () => (controller.abort(), done.catch(() => undefined)) };
}

const endpointStatus = async (request: JsonRequest, id: string) =>
  (await request<{ status: string }>("GET", `/v1/endpoints/${id}`)).body.status;

describe("listen", () => {
  it("streams deliveries to the connected CLI, signed as real ones, and records the local answer as the attempt", async () => {
    const tenant = await engine.newTenant("listen");
    const local = await receivers.start((_request, index) => ({
      status: index === 0 ? 500 : 200,
      body: index === 0 ? "local boom" : "local ok",
    }));
    const session = await tenant.request<{ id: string; secret: string; event_types: string[] }>("POST", "/v1/listen", {
      body: { event_types: ["payment.*"] },
    });
    expect(session.status).toBe(201);
    expect(session.body.event_types).toEqual(["payment.*"]);
    expect(await endpointStatus(tenant.request, session.body.id)).toBe("PAUSED");

    const cli = listen(tenant.request, tenant.apiKey, session.body.id, `${local.url}/webhooks`);
    await cli.ready;
    await eventually(async () => ((await endpointStatus(tenant.request, session.body.id)) === "ACTIVE" ? true : undefined));

    const event = await publish(tenant.request, "payment.created", { amount: 42 });
    // The local server answered 500 first: a retry comes, with the same webhook-id, and gets 200.
    const [first, second] = await local.waitFor(2);
    expect(first!.headers["webhook-id"]).toBe(second!.headers["webhook-id"]);
    const verified = new Webhook(session.body.secret).verify(second!.body, {
      "webhook-id": String(second!.headers["webhook-id"]),
      "webhook-timestamp": String(second!.headers["webhook-timestamp"]),
      "webhook-signature": String(second!.headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({ id: event.id, type: "payment.created", data: { amount: 42 } });
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery).toMatchObject({ status: "succeeded", endpoint_id: session.body.id });
    expect(delivery!.attempts.map((a) => [a.status_code, a.response_body])).toEqual([
      [500, "local boom"],
      [200, "local ok"],
    ]);
    await cli.stop();
  });

  it("holds deliveries while no CLI is connected and hands them over when one connects again; deleting the session removes its endpoint", async () => {
    const tenant = await engine.newTenant("listen-away");
    const local = await receivers.start();
    const session = await tenant.request<{ id: string }>("POST", "/v1/listen", { body: {} });
    const first = listen(tenant.request, tenant.apiKey, session.body.id, local.url);
    await first.ready;
    await first.stop();
    await eventually(async () => ((await endpointStatus(tenant.request, session.body.id)) === "PAUSED" ? true : undefined));

    const events = [await publish(tenant.request, "order.placed", { n: 1 }), await publish(tenant.request, "order.shipped", { n: 2 })];
    const held = await engine.db.pool.query(`SELECT status FROM deliveries WHERE endpoint_id = $1`, [session.body.id]);
    expect(held.rows.map((row: { status: string }) => row.status)).toEqual(["held", "held"]);

    const again = listen(tenant.request, tenant.apiKey, session.body.id, local.url);
    await again.ready;
    const arrived = await local.waitFor(2);
    expect(arrived.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual(events.map((e) => e.id));
    await again.stop();

    expect((await tenant.request("DELETE", `/v1/listen/${session.body.id}`)).status).toBe(204);
    expect((await tenant.request("GET", `/v1/endpoints/${session.body.id}`)).status).toBe(404);
  });

  it("deletes a session abandoned for a day when the tenant starts a new one, and keeps a recent one", async () => {
    const tenant = await engine.newTenant("listen-abandoned");
    const old = (await tenant.request<{ id: string }>("POST", "/v1/listen", { body: {} })).body.id;
    const recent = (await tenant.request<{ id: string }>("POST", "/v1/listen", { body: {} })).body.id;
    await engine.db.pool.query(`UPDATE endpoints SET updated_at = now() - interval '25 hours' WHERE id = $1`, [old]);
    await publish(tenant.request, "held.event", {});

    expect((await tenant.request("POST", "/v1/listen", { body: {} })).status).toBe(201);
    expect((await tenant.request("GET", `/v1/listen/${old}`)).status).toBe(404);
    expect((await tenant.request("GET", `/v1/listen/${recent}`)).status).toBe(200);
    // Its deliveries go with it in the background, as any deleted endpoint's do.
    await purgeDeletedEndpoints(engine.db, { limit: 100 });
    const left = await engine.db.pool.query(`SELECT count(*)::int AS n FROM deliveries WHERE endpoint_id = $1`, [old]);
    expect(left.rows[0]).toEqual({ n: 0 });
  });
});
