import { startHarness, type Harness } from "./harness.js";

interface SubscriptionBody {
  id: string;
  endpoint_id: string;
  event_types: string[];
  created_at: string;
  updated_at: string;
}

let h: Harness;
let endpointId: string;
beforeAll(async () => {
  h = await startHarness();
  endpointId = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "sub-target", url: "https://e.com/s" } })).body.id;
});
afterAll(() => h.close());

const create = (body: unknown) => h.request<SubscriptionBody>("POST", "/v1/subscriptions", { body });

describe("/v1/subscriptions", () => {
  it("creates a subscription of an endpoint to event types and patterns", async () => {
    const response = await create({ endpoint_id: endpointId, event_types: ["entity.updated", "payment.*"] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^sub_[0-9a-f-]{36}$/),
      endpoint_id: endpointId,
      event_types: ["entity.updated", "payment.*"],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const fetched = await h.request("GET", `/v1/subscriptions/${response.body.id}`);
    expect(fetched.body).toEqual(response.body);
  });

  it.each([
    [{ event_types: ["a.b"] }, "endpoint_id", "is required"],
    [{ endpoint_id: "ep_x" }, "event_types", "is required"],
    [{ endpoint_id: "ep_x", event_types: [] }, "event_types", "must NOT have fewer than 1 items"],
    [{ endpoint_id: "ep_x", event_types: "a.b" }, "event_types", "must be array"],
    [{ endpoint_id: "ep_x", event_types: ["a.b", "a.b"] }, "event_types", expect.stringContaining("duplicate")],
    [{ endpoint_id: "ep_x", event_types: ["entity"] }, "event_types.0", "must have the form object.action, like entity.updated"],
    [{ endpoint_id: "ep_x", event_types: ["a.b", "pay ment.*"] }, "event_types.1", expect.stringContaining("segments must be")],
    [{ endpoint_id: "ep_x", event_types: ["a.**"] }, "event_types.0", expect.stringContaining("segments must be")],
  ])("rejects %j with 400 and writes nothing", async (body, field, message) => {
    const before = await h.db.prisma.subscription.count();
    const response = await create(body);
    expect(response.status).toBe(400);
    expect((response.body as unknown as { error: { details: unknown[] } }).error.details).toContainEqual({ field, message });
    expect(await h.db.prisma.subscription.count()).toBe(before);
  });

  it("answers 404 for an endpoint that does not exist", async () => {
    const response = await create({ endpoint_id: "ep_00000000-0000-7000-8000-000000000000", event_types: ["a.b"] });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "not_found" } });
  });

  it("lists with pagination and filters by endpoint", async () => {
    const other = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "other", url: "https://e.com/o" } })).body.id;
    const a = await create({ endpoint_id: other, event_types: ["x.one"] });
    const b = await create({ endpoint_id: other, event_types: ["x.two"] });
    const filtered = await h.request<SubscriptionBody[]>("GET", `/v1/subscriptions?endpoint_id=${other}`);
    expect(filtered.body.map((s) => s.id)).toEqual([a.body.id, b.body.id]);
    const firstPage = await h.request<SubscriptionBody[]>("GET", `/v1/subscriptions?endpoint_id=${other}&limit=1`);
    expect(firstPage.body.map((s) => s.id)).toEqual([a.body.id]);
    const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.get("link") ?? "")?.[1];
    expect(next).toContain(`endpoint_id=${other}`);
    const secondPage = await h.request<SubscriptionBody[]>("GET", next ?? "");
    expect(secondPage.body.map((s) => s.id)).toEqual([b.body.id]);
  });

  it("updates event types and endpoint with PATCH", async () => {
    const { body } = await create({ endpoint_id: endpointId, event_types: ["a.b"] });
    const other = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "moved", url: "https://e.com/m" } })).body.id;
    const response = await h.request<SubscriptionBody>("PATCH", `/v1/subscriptions/${body.id}`, {
      body: { event_types: ["c.*"], endpoint_id: other },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ event_types: ["c.*"], endpoint_id: other });
    const bad = await h.request("PATCH", `/v1/subscriptions/${body.id}`, { body: { endpoint_id: "ep_nope" } });
    expect(bad.status).toBe(404);
    expect((await h.request("GET", `/v1/subscriptions/${body.id}`)).body).toEqual(response.body);
  });

  it("deletes with 204", async () => {
    const { body } = await create({ endpoint_id: endpointId, event_types: ["a.b"] });
    expect((await h.request("DELETE", `/v1/subscriptions/${body.id}`)).status).toBe(204);
    expect((await h.request("GET", `/v1/subscriptions/${body.id}`)).status).toBe(404);
  });

  it("goes away with its endpoint", async () => {
    const ep = (await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "gone", url: "https://e.com/g" } })).body.id;
    const { body } = await create({ endpoint_id: ep, event_types: ["a.b"] });
    await h.request("DELETE", `/v1/endpoints/${ep}`);
    expect((await h.request("GET", `/v1/subscriptions/${body.id}`)).status).toBe(404);
  });
});
