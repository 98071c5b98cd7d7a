import type { JsonRequest } from "@hookline/testing";
import { endpointFor, receiverPool, settledDeliveries, startEngine, verifyWebhook, type Engine } from "../src/engine.js";

/**
 * Endpoints of a customer, and events for one: an event that names a customer reaches that
 * customer's endpoints only, one that names none reaches endpoints of no customer only. Every
 * flavour's endpoints may belong to a customer; deleting the customer deletes them.
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

interface Customer {
  id: string;
}
interface Published {
  id: string;
  deliveries: number;
  customer_id?: string;
}

async function customer(request: JsonRequest, name: string, externalId?: string): Promise<string> {
  const created = await request<Customer>("POST", "/v1/customers", { body: { name, ...(externalId && { external_id: externalId }) } });
  if (created.status !== 201) throw new Error(`customer not created: ${created.text}`);
  return created.body.id;
}

/** What arrived at a receiver, as the event ids in the deliveries' bodies. */
const eventIds = (requests: readonly { body: string }[]) => requests.map((q) => (JSON.parse(q.body) as { id: string }).id);

describe("endpoints of a customer", () => {
  it("takes customer_id on create and patch of /v1/endpoints, presents it, and lists one customer's endpoints", async () => {
    const t = await engine.newTenant();
    const a = await customer(t.request, "A");
    const b = await customer(t.request, "B");

    const plain = await t.request<Record<string, unknown>>("POST", "/v1/endpoints", { body: { name: "plain", url: "https://e.com/p" } });
    expect(plain.body).not.toHaveProperty("customer_id");
    const ofA = await t.request<{ id: string; customer_id?: string }>("POST", "/v1/endpoints", {
      body: { name: "a", url: "https://e.com/a", customer_id: a },
    });
    expect(ofA.status).toBe(201);
    expect(ofA.body.customer_id).toBe(a);
    expect((await t.request("GET", `/v1/endpoints/${ofA.body.id}`)).body).toMatchObject({ customer_id: a });

    const list = async (query: string) => (await t.request<{ id: string }[]>("GET", `/v1/endpoints${query}`)).body.map((e) => e.id);
    expect(await list(`?customer_id=${a}`)).toEqual([ofA.body.id]);
    expect(await list(`?customer_id=${b}`)).toEqual([]);
    expect(await list("")).toEqual([plain.body.id, ofA.body.id]);

    // Moved to B, then to no customer.
    const moved = await t.request("PATCH", `/v1/endpoints/${ofA.body.id}`, { body: { customer_id: b } });
    expect(moved.body).toMatchObject({ customer_id: b });
    expect(await list(`?customer_id=${b}`)).toEqual([ofA.body.id]);
    const detached = await t.request<Record<string, unknown>>("PATCH", `/v1/endpoints/${ofA.body.id}`, { body: { customer_id: null } });
    expect(detached.status).toBe(200);
    expect(detached.body).not.toHaveProperty("customer_id");
    // A PATCH that does not name the customer leaves it as it is.
    await t.request("PATCH", `/v1/endpoints/${plain.body.id}`, { body: { customer_id: a } });
    expect((await t.request("PATCH", `/v1/endpoints/${plain.body.id}`, { body: { name: "renamed" } })).body).toMatchObject({
      customer_id: a,
      name: "renamed",
    });

    const badFilter = await t.request("GET", "/v1/endpoints?customer_id=nope");
    expect(badFilter.status).toBe(400);
  });

  it("takes customer_id on Monite webhook settings and Momentus webhooks too (create, patch, list filter)", async () => {
    const t = await engine.newTenant();
    const a = await customer(t.request, "A");
    const b = await customer(t.request, "B");

    const setting = await t.request<{ id: string; customer_id?: string }>("POST", "/v1/webhook_settings", {
      body: { object_type: "entity", url: "https://e.com/s", customer_id: a },
    });
    expect(setting.status).toBe(201);
    expect(setting.body.customer_id).toBe(a);
    await t.request("POST", "/v1/webhook_settings", { body: { object_type: "entity", url: "https://e.com/s2" } });
    const settings = await t.request<{ id: string }[]>("GET", `/v1/webhook_settings?customer_id=${a}`);
    expect(settings.body.map((s) => s.id)).toEqual([setting.body.id]);
    const patchedSetting = await t.request("PATCH", `/v1/webhook_settings/${setting.body.id}`, { body: { customer_id: b } });
    expect(patchedSetting.body).toMatchObject({ customer_id: b });
    expect((await t.request("GET", `/v1/webhook_settings/${setting.body.id}`)).body).toMatchObject({ customer_id: b });

    const webhook = await t.request<{ id: string; customer_id?: string }>("POST", "/v1/webhooks", {
      body: {
        name: "wh",
        trigger_action: "order.created",
        url: "https://e.com/w",
        authentication: { method: "oauth", token_url: "https://e.com/token", client_id: "c", client_secret: "s" },
        customer_id: b,
      },
    });
    expect(webhook.status).toBe(201);
    expect(webhook.body.customer_id).toBe(b);
    const webhooks = await t.request<{ id: string }[]>("GET", `/v1/webhooks?customer_id=${b}`);
    expect(webhooks.body.map((w) => w.id)).toEqual([webhook.body.id]);
    expect((await t.request<unknown[]>("GET", `/v1/webhooks?customer_id=${a}`)).body).toEqual([]);
    const patchedWebhook = await t.request<Record<string, unknown>>("PATCH", `/v1/webhooks/${webhook.body.id}`, {
      body: { customer_id: null },
    });
    expect(patchedWebhook.status).toBe(200);
    expect(patchedWebhook.body).not.toHaveProperty("customer_id");

    // /v1/endpoints sees every flavour's, and filters them alike.
    const all = await t.request<{ id: string }[]>("GET", `/v1/endpoints?customer_id=${b}`);
    expect(all.body.map((e) => e.id)).toEqual([setting.body.id]);
  });

  it("refuses another tenant's customer, an unknown one and a malformed id with 404 naming customer_id, writing nothing", async () => {
    const t = await engine.newTenant();
    const other = await engine.newTenant();
    const foreign = await customer(other.request, "theirs");
    const mine = await t.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "x", url: "https://e.com/x" } });
    const before = await engine.db.prisma.endpoint.count({ where: { tenantId: t.tenantId } });

    for (const id of [foreign, "cus_00000000-0000-7000-8000-000000000000", "not-an-id"]) {
      const attempts = [
        t.request("POST", "/v1/endpoints", { body: { name: "x", url: "https://e.com/x", customer_id: id } }),
        t.request("PATCH", `/v1/endpoints/${mine.body.id}`, { body: { customer_id: id } }),
        t.request("POST", "/v1/webhook_settings", { body: { object_type: "role", url: "https://e.com/s", customer_id: id } }),
        t.request("POST", "/v1/webhooks", {
          body: {
            name: `wh-${id}`,
            trigger_action: "order.created",
            url: "https://e.com/w",
            authentication: { method: "oauth", token_url: "https://e.com/token", client_id: "c", client_secret: "s" },
            customer_id: id,
          },
        }),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({
          error: { code: "not_found", details: [{ field: "customer_id", message: "names no customer of this tenant" }] },
        });
      }
    }
    expect(await engine.db.prisma.endpoint.count({ where: { tenantId: t.tenantId } })).toBe(before);
    expect((await t.request("GET", `/v1/endpoints/${mine.body.id}`)).body).not.toHaveProperty("customer_id");
    // Filtering by another tenant's customer shows nothing of theirs.
    expect((await t.request<unknown[]>("GET", `/v1/endpoints?customer_id=${foreign}`)).body).toEqual([]);
  });

  it("never gives a listen endpoint a customer", async () => {
    const t = await engine.newTenant();
    const a = await customer(t.request, "A");
    const session = await t.request<{ id: string }>("POST", "/v1/listen", { body: { event_types: ["order.created"] } });
    expect(session.status).toBe(201);
    const refused = await t.request("PATCH", `/v1/endpoints/${session.body.id}`, { body: { customer_id: a } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "validation_error", details: [{ field: "customer_id" }] } });
    expect(await engine.db.prisma.endpoint.findUnique({ where: { id: session.body.id } })).toMatchObject({ customerId: null });
  });
});

describe("events for a customer", () => {
  it("reach only that customer's endpoints; events without one only endpoints without one; by id or external id", async () => {
    const t = await engine.newTenant();
    const a = await customer(t.request, "A", "ext-a");
    const b = await customer(t.request, "B", "ext-b");
    const [rA, rB, rNone] = await Promise.all([receivers.start(), receivers.start(), receivers.start()]);
    const epA = await endpointFor(t.request, rA.url, ["order.*"], { customer_id: a });
    const epB = await endpointFor(t.request, rB.url, ["order.*"], { customer_id: b });
    const epNone = await endpointFor(t.request, rNone.url, ["order.*"]);

    const forA = await t.request<Published>("POST", "/v1/events", {
      body: { event_type: "order.created", data: { n: 1 }, customer_id: a },
    });
    expect(forA.status).toBe(202);
    expect(forA.body).toMatchObject({ deliveries: 1, customer_id: a });
    const forB = await t.request<Published>("POST", "/v1/events", {
      body: { event_type: "order.created", data: { n: 2 }, customer_external_id: "ext-b" },
    });
    expect(forB.body).toMatchObject({ deliveries: 1, customer_id: b });
    const forNobody = await t.request<Record<string, unknown> & Published>("POST", "/v1/events", {
      body: { event_type: "order.created", data: { n: 3 } },
    });
    expect(forNobody.body.deliveries).toBe(1);
    expect(forNobody.body).not.toHaveProperty("customer_id");

    for (const event of [forA.body, forB.body, forNobody.body]) await settledDeliveries(t.request, event.id);
    await Promise.all([rA.waitFor(1), rB.waitFor(1), rNone.waitFor(1)]);
    expect(eventIds(rA.requests)).toEqual([forA.body.id]);
    expect(eventIds(rB.requests)).toEqual([forB.body.id]);
    expect(eventIds(rNone.requests)).toEqual([forNobody.body.id]);
    expect(verifyWebhook(epA.secret, rA.requests[0]!)).toMatchObject({ data: { n: 1 } });
    expect(verifyWebhook(epB.secret, rB.requests[0]!)).toMatchObject({ data: { n: 2 } });
    expect(verifyWebhook(epNone.secret, rNone.requests[0]!)).toMatchObject({ data: { n: 3 } });

    const stored = await t.request<{ customer_id?: string; deliveries: { endpoint_id: string }[] }>("GET", `/v1/events/${forB.body.id}`);
    expect(stored.body.customer_id).toBe(b);
    expect(stored.body.deliveries.map((d) => d.endpoint_id)).toEqual([epB.endpointId]);
    expect((await t.request("GET", `/v1/events/${forNobody.body.id}`)).body).not.toHaveProperty("customer_id");
  });

  it("fans a batch of mixed customers out per event, in one request", async () => {
    const t = await engine.newTenant();
    const a = await customer(t.request, "A");
    const b = await customer(t.request, "B", "ext-b");
    const [rA, rB, rNone] = await Promise.all([receivers.start(), receivers.start(), receivers.start()]);
    await endpointFor(t.request, rA.url, ["invoice.paid"], { customer_id: a });
    await endpointFor(t.request, rB.url, ["invoice.paid"], { customer_id: b });
    await endpointFor(t.request, rNone.url, ["invoice.paid"]);

    const batch = await t.request<Published[]>("POST", "/v1/events/batch", {
      body: {
        events: [
          { event_type: "invoice.paid", data: { i: 0 }, customer_id: a },
          { event_type: "invoice.paid", data: { i: 1 } },
          { event_type: "invoice.paid", data: { i: 2 }, customer_external_id: "ext-b" },
          { event_type: "invoice.paid", data: { i: 3 }, customer_id: a },
        ],
      },
    });
    expect(batch.status).toBe(202);
    expect(batch.body.map((e) => [e.deliveries, e.customer_id])).toEqual([
      [1, a],
      [1, undefined],
      [1, b],
      [1, a],
    ]);
    for (const event of batch.body) await settledDeliveries(t.request, event.id);
    await Promise.all([rA.waitFor(2), rB.waitFor(1), rNone.waitFor(1)]);
    expect(eventIds(rA.requests).sort()).toEqual([batch.body[0]!.id, batch.body[3]!.id].sort());
    expect(eventIds(rB.requests)).toEqual([batch.body[2]!.id]);
    expect(eventIds(rNone.requests)).toEqual([batch.body[1]!.id]);
  });

  it("refuses both ways of naming a customer (400), and an unknown or foreign customer (404), writing nothing", async () => {
    const t = await engine.newTenant();
    const other = await engine.newTenant();
    const a = await customer(t.request, "A", "ext-a");
    const foreign = await customer(other.request, "theirs", "ext-theirs");
    const count = () => engine.db.prisma.event.count({ where: { tenantId: t.tenantId } });
    const before = await count();

    const both = await t.request("POST", "/v1/events", {
      body: { event_type: "order.created", data: {}, customer_id: a, customer_external_id: "ext-a" },
    });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ error: { code: "validation_error", details: [{ field: "customer_external_id" }] } });

    for (const [body, field] of [
      [{ customer_id: foreign }, "customer_id"],
      [{ customer_id: "cus_00000000-0000-7000-8000-000000000000" }, "customer_id"],
      [{ customer_id: "nope" }, "customer_id"],
      [{ customer_external_id: "ext-theirs" }, "customer_external_id"],
      [{ customer_external_id: "nobody" }, "customer_external_id"],
    ] as const) {
      const response = await t.request("POST", "/v1/events", { body: { event_type: "order.created", data: {}, ...body } });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({
        error: { code: "not_found", details: [{ field, message: "names no customer of this tenant" }] },
      });
    }

    const batch = await t.request("POST", "/v1/events/batch", {
      body: {
        events: [
          { event_type: "order.created", data: {}, customer_id: a },
          { event_type: "order.created", data: {}, customer_external_id: "nobody" },
        ],
      },
    });
    expect(batch.status).toBe(404);
    expect(batch.body).toMatchObject({ error: { details: [{ field: "events.1.customer_external_id" }] } });
    const mixedUp = await t.request("POST", "/v1/events/batch", {
      body: { events: [{ event_type: "order.created", data: {}, customer_id: a, customer_external_id: "ext-a" }] },
    });
    expect(mixedUp.status).toBe(400);
    expect(await count()).toBe(before);
  });
});

describe("events an inbound workflow publishes", () => {
  it("are for no customer unless the workflow names one (customer_id or customer_external_id, as POST /v1/events)", async () => {
    const t = await engine.newTenant();
    const customerA = await customer(t.request, "A", "ext-a");
    const [rA, rNone] = await Promise.all([receivers.start(), receivers.start()]);
    await endpointFor(t.request, rA.url, ["stock.changed"], { customer_id: customerA });
    await endpointFor(t.request, rNone.url, ["stock.changed"]);

    const live = (await t.request<{ id: string; kind: string }[]>("GET", "/v1/environments")).body.find((e) => e.kind === "live")!;
    const inbound = await t.request<{ id: string; urls: { environment_id: string; url: string }[] }>("POST", "/v1/inbound_endpoints", {
      body: { name: "stock", path: "/stock", method: "POST", access_level: "none" },
    });
    const code = `export default async ({ request, utils }) => {
      const body = await request.json();
      const published = await utils.publish({ event_type: "stock.changed", data: body, ...(body.customer ? { customer_external_id: body.customer } : {}) });
      return Response.json({ event: published.id, deliveries: published.deliveries });
    };`;
    expect((await t.request("PUT", `/v1/inbound_endpoints/${inbound.body.id}/workflow`, { body: { code, publish: true } })).status).toBe(
      200,
    );
    const url = inbound.body.urls.find((u) => u.environment_id === live.id)!.url;
    const call = async (body: object) => {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { event: string; deliveries: number; error?: { code: string } } };
    };

    const plain = await call({ sku: 1 });
    const forA = await call({ sku: 2, customer: "ext-a" });
    expect([plain.body.deliveries, forA.body.deliveries]).toEqual([1, 1]);
    await Promise.all([rA.waitFor(1), rNone.waitFor(1)]);
    expect(eventIds(rA.requests)).toEqual([forA.body.event]);
    expect(eventIds(rNone.requests)).toEqual([plain.body.event]);
    // An unknown customer is an error the workflow may catch (the API's 404); this one does not, so its call fails.
    expect((await call({ sku: 3, customer: "nobody" })).status).toBe(500);
  });
});

describe("deleting a customer", () => {
  it("deletes its endpoints of every flavour with their subscriptions, deliveries and attempts, and its events; others stay", async () => {
    const t = await engine.newTenant();
    const a = await customer(t.request, "A");
    const b = await customer(t.request, "B");
    const [rA, rB, rNone] = await Promise.all([receivers.start(), receivers.start(), receivers.start()]);
    const epA = await endpointFor(t.request, rA.url, ["order.created"], { customer_id: a });
    const pausedA = await endpointFor(t.request, rA.url, ["order.created"], { customer_id: a });
    await t.request("PATCH", `/v1/endpoints/${pausedA.endpointId}`, { body: { status: "PAUSED" } });
    const settingA = await t.request<{ id: string }>("POST", "/v1/webhook_settings", {
      body: { object_type: "entity", url: rA.url, customer_id: a },
    });
    const epB = await endpointFor(t.request, rB.url, ["order.created"], { customer_id: b });
    const epNone = await endpointFor(t.request, rNone.url, ["order.created"]);

    const forA = await t.request<Published>("POST", "/v1/events", { body: { event_type: "order.created", data: {}, customer_id: a } });
    expect(forA.body.deliveries).toBe(2);
    const forB = await t.request<Published>("POST", "/v1/events", { body: { event_type: "order.created", data: {}, customer_id: b } });
    const forNobody = await t.request<Published>("POST", "/v1/events", { body: { event_type: "order.created", data: {} } });
    // One delivered (with its attempt), one held by the paused endpoint.
    await settledDeliveries(t.request, forA.body.id, ["succeeded", "held"]);
    for (const event of [forB.body, forNobody.body]) await settledDeliveries(t.request, event.id);

    expect((await t.request("DELETE", `/v1/customers/${a}`)).status).toBe(204);
    expect((await t.request("GET", `/v1/customers/${a}`)).status).toBe(404);

    const { prisma } = engine.db;
    const goneEndpoints = [epA.endpointId, pausedA.endpointId, settingA.body.id];
    expect(await prisma.endpoint.count({ where: { id: { in: goneEndpoints } } })).toBe(0);
    expect(await prisma.subscription.count({ where: { endpointId: { in: goneEndpoints } } })).toBe(0);
    expect(await prisma.delivery.count({ where: { endpointId: { in: goneEndpoints } } })).toBe(0);
    expect(await prisma.attempt.count({ where: { delivery: { eventId: forA.body.id } } })).toBe(0);
    expect(await prisma.event.count({ where: { id: forA.body.id } })).toBe(0);
    expect((await t.request("GET", `/v1/events/${forA.body.id}`)).status).toBe(404);

    // B's and the customer-less endpoints, events and deliveries are untouched.
    expect(await prisma.endpoint.count({ where: { id: { in: [epB.endpointId, epNone.endpointId] } } })).toBe(2);
    for (const event of [forB.body, forNobody.body]) {
      const stored = await t.request<{ deliveries: { status: string }[] }>("GET", `/v1/events/${event.id}`);
      expect(stored.body.deliveries.map((d) => d.status)).toEqual(["succeeded"]);
    }
    expect((await t.request<unknown[]>("GET", `/v1/endpoints?customer_id=${b}`)).body).toHaveLength(1);
  });
});
