import { startReceiver, type Receiver } from "@hookline/testing";
import { eventTypeOf, forwardToLocal } from "../src/listen/forward.js";

let receiver: Receiver;
afterEach(() => receiver?.close());

const delivery = {
  delivery_id: "msg_1",
  attempt_id: "att_1",
  headers: {
    "content-type": "application/json",
    "webhook-id": "msg_1",
    "webhook-signature": "v1,abc",
    host: "hookline.example",
    "content-length": "999",
  },
  body: '{"type":"payment.created","data":{}}',
};

describe("forwarding to the local URL", () => {
  it("posts the body with the signed headers untouched, and returns what the local server answered", async () => {
    receiver = await startReceiver(() => ({ status: 201, body: "created", headers: { "x-local": "yes" } }));
    const answer = await forwardToLocal(`${receiver.url}/hooks`, delivery);
    const [received] = await receiver.waitFor(1);
    expect(received!.path).toBe("/hooks");
    expect(received!.body).toBe(delivery.body);
    expect(received!.headers).toMatchObject({ "webhook-id": "msg_1", "webhook-signature": "v1,abc", "content-type": "application/json" });
    // Hop-by-hop headers are fetch's own: the real length, the local host.
    expect(received!.headers["content-length"]).toBe(String(delivery.body.length));
    expect(answer).toMatchObject({ delivery_id: "msg_1", attempt_id: "att_1", status_code: 201, body: "created" });
    expect(answer.headers?.["x-local"]).toBe("yes");
  });

  it("reports a local server that is not there as an error without a status", async () => {
    receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    const answer = await forwardToLocal(url, delivery);
    expect(answer.status_code).toBeUndefined();
    expect(answer.error).toContain("ECONNREFUSED");
  });

  it("names the event type from the envelope, or ? when the body is not one", () => {
    expect(eventTypeOf(delivery.body)).toBe("payment.created");
    expect(eventTypeOf("not json")).toBe("?");
  });
});
