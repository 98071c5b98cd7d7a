import { Webhook } from "standardwebhooks";
import { startReceiver, type Receiver } from "@hookline/testing";
import { publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/** Monite-style webhook settings (001), delivered by the same engine as every endpoint. */
let engine: Engine;
let r: Receiver;
beforeAll(async () => {
  engine = await startEngine();
  r = await startReceiver();
});
afterAll(async () => {
  await r.close();
  await engine.close();
});

interface Setting {
  id: string;
  object_type: string;
  url: string;
  name: string;
  secret?: string;
}

describe("/v1/webhook_settings", () => {
  it("delivers { object_id, object_type, action, name }, signed, for the setting's object type only", async () => {
    const t = await engine.newTenant();
    const created = await t.request<Setting>("POST", "/v1/webhook_settings", {
      body: { object_type: "entity", url: r.url, name: "My webhook" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      object_type: "entity",
      url: r.url,
      name: "My webhook",
      secret: expect.stringMatching(/^whsec_/),
    });
    const secret = await t.request<{ secret: string }>("GET", `/v1/webhook_settings/${created.body.id}/secret`);
    expect(secret.body.secret).toBe(created.body.secret);

    const before = r.requests.length;
    const updated = await publish(t.request, "entity.updated", {});
    await t.request("POST", "/v1/events", {
      body: { event_type: "entity.updated", data: {}, object_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" },
    });
    const ignored = await publish(t.request, "payment.created", {});
    expect(ignored.deliveries).toBe(0);
    expect(updated.deliveries).toBe(1);
    const requests = (await r.waitFor(before + 2)).slice(before);
    const bodies = requests.map((q) => new Webhook(String(created.body.secret)).verify(q.body, q.headers as Record<string, string>));
    expect(bodies).toContainEqual({
      object_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      object_type: "entity",
      action: "update",
      name: "My webhook",
    });
    expect(bodies).toContainEqual({ object_id: null, object_type: "entity", action: "update", name: "My webhook" });
    await settledDeliveries(t.request, updated.id);
  });

  it("lists, reads, edits and deletes settings, with the rules of the rest of the API", async () => {
    const t = await engine.newTenant();
    const a = await t.request<Setting>("POST", "/v1/webhook_settings", { body: { object_type: "role", url: "https://e.com/a" } });
    await t.request("POST", "/v1/webhook_settings", { body: { object_type: "payment", url: "https://e.com/b" } });
    expect(a.body.name).toBe("role webhook");
    const list = await t.request<Setting[]>("GET", "/v1/webhook_settings");
    expect(list.body.map((s) => s.object_type)).toEqual(["role", "payment"]);
    expect(list.body.every((s) => s.secret === undefined)).toBe(true);

    const patched = await t.request<Setting>("PATCH", `/v1/webhook_settings/${a.body.id}`, {
      body: { object_type: "comment", url: "https://e.com/c" },
    });
    expect(patched.body).toMatchObject({ object_type: "comment", url: "https://e.com/c" });
    const sub = await t.request<{ event_types: string[] }[]>("GET", `/v1/subscriptions?endpoint_id=${a.body.id}`);
    expect(sub.body.map((s) => s.event_types)).toEqual([["comment.created", "comment.updated"]]);

    expect((await t.request("DELETE", `/v1/webhook_settings/${a.body.id}`)).status).toBe(204);
    expect((await t.request("GET", `/v1/webhook_settings/${a.body.id}`)).status).toBe(404);
    const other = await engine.newTenant();
    const b = list.body[1]?.id;
    expect((await other.request("GET", `/v1/webhook_settings/${b}`)).status).toBe(404);
    expect((await other.request("DELETE", `/v1/webhook_settings/${b}`)).status).toBe(404);
  });

  it("answers an unknown object type with 400 listing the valid ones, and writes nothing", async () => {
    const t = await engine.newTenant();
    const response = await t.request("POST", "/v1/webhook_settings", { body: { object_type: "invoice", url: "https://e.com" } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { details: [{ field: "object_type", message: "must be one of role, entity, comment, entity_user, payment" }] },
    });
    expect((await t.request<unknown[]>("GET", "/v1/endpoints")).body).toHaveLength(0);
    expect((await t.request("POST", "/v1/webhook_settings", { body: { object_type: "role" } })).status).toBe(400);
    expect((await t.request("POST", "/v1/webhook_settings", { body: { object_type: "role", url: "ftp://x" } })).status).toBe(400);
  });
});
