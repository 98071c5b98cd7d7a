import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { jsonClient } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

/** `POST /v1/endpoints/{id}/test`: one event, one delivery, to that endpoint alone (no worker: rows only). */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Sent = { event_id: string; delivery_id: string; event_type: string };
type Request = Harness["request"];

async function endpoint(request: Request, eventTypes?: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const id = (await request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "t", url: "https://e.com/t", ...extra } })).body.id;
  if (eventTypes) await request("POST", "/v1/subscriptions", { body: { endpoint_id: id, event_types: eventTypes } });
  return id;
}

const sendTest = (request: Request, id: string, body?: unknown) => request<Sent>("POST", `/v1/endpoints/${id}/test`, { body });

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const deliveriesOf = (eventId: string) => h.db.prisma.delivery.findMany({ where: { eventId } });

const PAYMENT_SCHEMA = {
  type: "object",
  required: ["amount", "currency", "paid_at"],
  properties: {
    amount: { type: "integer", minimum: 1 },
    currency: { type: "string", enum: ["EUR", "USD"] },
    paid_at: { type: "string", format: "date-time" },
  },
};

describe("POST /v1/endpoints/{id}/test", () => {
  it("writes one event (origin test) and one delivery to that endpoint only, though others subscribe to its type", async () => {
    const target = await endpoint(h.request, ["order.*"]);
    const other = await endpoint(h.request, ["order.*"]);
    const response = await sendTest(h.request, target, { event_type: "order.placed", data: { id: 7 } });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      event_id: expect.stringMatching(/^evt_/),
      delivery_id: expect.any(String),
      event_type: "order.placed",
    });
    const event = await h.db.prisma.event.findUniqueOrThrow({ where: { id: response.body.event_id } });
    expect(event).toMatchObject({ origin: "test", eventType: "order.placed", data: { id: 7 } });
    const deliveries = await deliveriesOf(response.body.event_id);
    expect(deliveries).toEqual([expect.objectContaining({ id: response.body.delivery_id, endpointId: target, status: "pending" })]);
    // An ordinary publish of the same type still reaches both.
    const published = await h.request<{ id: string }>("POST", "/v1/events", { body: { event_type: "order.placed", data: {} } });
    expect((await deliveriesOf(published.body.id)).map((d) => d.endpointId).sort()).toEqual([target, other].sort());
  });

  it("reaches an endpoint that subscribes to nothing, with hookline.test by default", async () => {
    const id = await endpoint(h.request);
    const response = await sendTest(h.request, id);
    expect(response.status).toBe(202);
    expect(response.body.event_type).toBe("hookline.test");
    const event = await h.request<{ data: Record<string, unknown>; deliveries: { id: string; endpoint_id: string }[] }>(
      "GET",
      `/v1/events/${response.body.event_id}`,
    );
    expect(event.body.data).toEqual({ message: "A test event from Hookline", endpoint_id: id, sent_at: expect.any(String) });
    expect(event.body.deliveries).toEqual([expect.objectContaining({ id: response.body.delivery_id, endpoint_id: id })]);
  });

  it("holds it for a paused endpoint", async () => {
    const id = await endpoint(h.request, ["a.b"]);
    await h.request("PATCH", `/v1/endpoints/${id}`, { body: { status: "PAUSED" } });
    const response = await sendTest(h.request, id, {});
    expect(response.status).toBe(202);
    expect(await deliveriesOf(response.body.event_id)).toEqual([expect.objectContaining({ status: "held", nextAttemptAt: null })]);
  });

  it("reaches an endpoint of a customer, whoever the event's customer rule would pick", async () => {
    const customer = (await h.request<{ id: string }>("POST", "/v1/customers", { body: { name: "Globex" } })).body.id;
    const id = await endpoint(h.request, ["a.b"], { customer_id: customer });
    const response = await sendTest(h.request, id, { event_type: "a.b", data: {} });
    expect(response.status).toBe(202);
    expect(await deliveriesOf(response.body.event_id)).toEqual([expect.objectContaining({ endpointId: id })]);
    expect(await h.db.prisma.event.findUniqueOrThrow({ where: { id: response.body.event_id } })).toMatchObject({ customerId: customer });
  });

  describe("with a schema", () => {
    let t: Awaited<ReturnType<Harness["newTenant"]>>;
    beforeAll(async () => {
      t = await h.newTenant("schemas");
      await t.request("POST", "/v1/event_types", { body: { name: "payment.created", schema: PAYMENT_SCHEMA } });
      await t.request("POST", "/v1/event_types", { body: { name: "payment.plain" } });
    });

    it("samples data valid against the first subscribed type that has a schema", async () => {
      const id = await endpoint(t.request, ["payment.plain", "payment.*"]);
      const response = await sendTest(t.request, id);
      expect(response.status).toBe(202);
      expect(response.body.event_type).toBe("payment.created");
      const event = await h.db.prisma.event.findUniqueOrThrow({ where: { id: response.body.event_id } });
      const ajv = new Ajv({ strict: false });
      addFormats(ajv);
      const validate = ajv.compile(PAYMENT_SCHEMA);
      expect(validate(event.data)).toBe(true);
    });

    it("samples a named type's schema when no data is given", async () => {
      const id = await endpoint(t.request);
      const response = await sendTest(t.request, id, { event_type: "payment.created" });
      expect(response.status).toBe(202);
      const event = await h.db.prisma.event.findUniqueOrThrow({ where: { id: response.body.event_id } });
      expect(event.data).toMatchObject({ amount: expect.any(Number), currency: expect.stringMatching(/^(EUR|USD)$/) });
    });

    it("refuses given data that does not match the schema, as POST /v1/events does (422), storing nothing", async () => {
      const id = await endpoint(t.request, ["payment.*"]);
      const before = await h.db.prisma.event.count();
      const response = await sendTest(t.request, id, { event_type: "payment.created", data: { amount: "five" } });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        error: { code: "unprocessable", details: expect.arrayContaining([{ field: "data.amount", message: "must be integer" }]) },
      });
      const published = await t.request("POST", "/v1/events", { body: { event_type: "payment.created", data: { amount: "five" } } });
      expect(published.status).toBe(response.status);
      expect(await h.db.prisma.event.count()).toBe(before);
    });

    it("in strict mode sends hookline.test by default, and still refuses an unregistered type given", async () => {
      const strict = await h.newTenant("strict");
      await strict.request("PATCH", "/v1/settings", { body: { strict_event_types: true } });
      const id = await endpoint(strict.request);
      const response = await sendTest(strict.request, id);
      expect(response.status).toBe(202);
      expect(response.body.event_type).toBe("hookline.test");
      expect((await sendTest(strict.request, id, { event_type: "not.registered", data: {} })).status).toBe(422);
    });
  });

  it.each([
    [{ event_type: "nodots", data: {} }, "event_type"],
    [{ event_type: "a.b", data: [1] }, "data"],
    [{ extra: 1 }, "extra"],
  ])("refuses %j with 400", async (body, field) => {
    const id = await endpoint(h.request);
    const response = await sendTest(h.request, id, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { details: [expect.objectContaining({ field })] } });
  });

  it("answers 404 for another tenant's endpoint and an unknown one, writing nothing", async () => {
    const other = await h.newTenant("other");
    const theirs = await endpoint(other.request, ["a.b"]);
    const before = await h.db.prisma.event.count();
    expect((await sendTest(h.request, theirs)).status).toBe(404);
    expect((await sendTest(h.request, "ep_00000000-0000-7000-8000-000000000000")).status).toBe(404);
    expect(await h.db.prisma.event.count()).toBe(before);
  });

  it("answers 409 for an inactive endpoint", async () => {
    const id = await endpoint(h.request);
    await h.db.prisma.endpoint.update({ where: { id }, data: { status: "INACTIVE" } });
    expect((await sendTest(h.request, id)).status).toBe(409);
  });

  it("is open to a portal link that may manage endpoints, for its customer's endpoints only", async () => {
    const customer = (await h.request<{ id: string }>("POST", "/v1/customers", { body: { name: "Initech" } })).body.id;
    const theirs = await endpoint(h.request, undefined, { customer_id: customer });
    const foreign = await endpoint(h.request);
    const link = async (capabilities: string[]) =>
      jsonClient(
        h.api.url,
        (await h.request<{ token: string }>("POST", `/v1/customers/${customer}/portal`, { body: { capabilities } })).body.token,
      );
    const manager = await link(["manage_endpoints"]);
    expect((await sendTest(manager, theirs)).status).toBe(202);
    expect((await sendTest(manager, foreign)).status).toBe(404);
    expect((await sendTest(await link([]), theirs)).status).toBe(403);
  });
});
