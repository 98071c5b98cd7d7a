import { randomBytes } from "node:crypto";
import { Webhook as Reference } from "standardwebhooks";
import { HooklineError, Webhook, WebhookVerificationError } from "../src/index.js";

/** Our verification against the reference Standard Webhooks library: it signs, we verify. */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const secret = newSecret();
const payload = JSON.stringify({ id: "evt_1", type: "invoice.paid", timestamp: "2026-01-01T00:00:00.000Z", data: { amount: 5 } });

function signed(body: string, key = secret, at = new Date(), id = "msg_1") {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Reference(key).sign(id, at, body),
  };
}

async function rejection(call: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebhookVerificationError)) throw new Error(`expected a WebhookVerificationError, got ${String(error)}`);
  return error;
}

describe("Webhook.verify", () => {
  it("accepts what the reference library signs and returns the parsed envelope", async () => {
    const event = await new Webhook(secret).verify(payload, signed(payload));
    expect(event).toEqual({ id: "evt_1", type: "invoice.paid", timestamp: "2026-01-01T00:00:00.000Z", data: { amount: 5 } });
  });

  it("takes the raw body as bytes, and headers as a Headers object", async () => {
    const headers = new Headers(signed(payload));
    const event = await new Webhook(secret).verify(new TextEncoder().encode(payload), headers);
    expect(event.type).toBe("invoice.paid");
  });

  it("finds the headers whatever their case", async () => {
    const upper = Object.fromEntries(Object.entries(signed(payload)).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(new Webhook(secret).verify(payload, upper)).resolves.toMatchObject({ id: "evt_1" });
  });

  it("rejects a tampered body", async () => {
    const headers = signed(payload);
    const error = await rejection(new Webhook(secret).verify(payload.replace("5", "6"), headers));
    expect(error.code).toBe("invalid_signature");
    expect(error).toBeInstanceOf(HooklineError);
  });

  it("rejects a tampered id or timestamp, which are signed too", async () => {
    const headers = signed(payload);
    await expect(new Webhook(secret).verify(payload, { ...headers, "webhook-id": "msg_2" })).rejects.toMatchObject({
      code: "invalid_signature",
    });
    const later = String(Number(headers["webhook-timestamp"]) + 1);
    await expect(new Webhook(secret).verify(payload, { ...headers, "webhook-timestamp": later })).rejects.toMatchObject({
      code: "invalid_signature",
    });
  });

  it("rejects a signature made with another secret", async () => {
    const error = await rejection(new Webhook(secret).verify(payload, signed(payload, newSecret())));
    expect(error.code).toBe("invalid_signature");
  });

  it("rejects a timestamp outside the tolerance, either way, and honours a configured tolerance", async () => {
    const old = signed(payload, secret, new Date(Date.now() - 6 * 60_000));
    expect((await rejection(new Webhook(secret).verify(payload, old))).code).toBe("timestamp_out_of_tolerance");
    const future = signed(payload, secret, new Date(Date.now() + 6 * 60_000));
    expect((await rejection(new Webhook(secret).verify(payload, future))).code).toBe("timestamp_out_of_tolerance");

    await expect(new Webhook(secret, { toleranceSeconds: 10 * 60 }).verify(payload, old)).resolves.toMatchObject({ id: "evt_1" });
    const recent = signed(payload, secret, new Date(Date.now() - 30_000));
    expect((await rejection(new Webhook(secret, { toleranceSeconds: 10 }).verify(payload, recent))).code).toBe(
      "timestamp_out_of_tolerance",
    );
  });

  it("rejects missing headers and a timestamp that is not a number", async () => {
    const { "webhook-signature": _dropped, ...unsigned } = signed(payload);
    expect((await rejection(new Webhook(secret).verify(payload, unsigned))).code).toBe("missing_header");
    const headers = { ...signed(payload), "webhook-timestamp": "soon" };
    expect((await rejection(new Webhook(secret).verify(payload, headers))).code).toBe("invalid_timestamp");
  });

  it("accepts a header with two signatures during a rotation, whichever secret the receiver has", async () => {
    const next = newSecret();
    const at = new Date();
    const both = {
      ...signed(payload, secret, at),
      "webhook-signature": `${signed(payload, secret, at)["webhook-signature"]} ${signed(payload, next, at)["webhook-signature"]}`,
    };
    await expect(new Webhook(secret).verify(payload, both)).resolves.toMatchObject({ id: "evt_1" });
    await expect(new Webhook(next).verify(payload, both)).resolves.toMatchObject({ id: "evt_1" });
    await expect(new Webhook(newSecret()).verify(payload, both)).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it("takes several secrets, accepting a delivery signed with any of them", async () => {
    const next = newSecret();
    const webhook = new Webhook([next, secret]);
    await expect(webhook.verify(payload, signed(payload, secret))).resolves.toMatchObject({ id: "evt_1" });
    await expect(webhook.verify(payload, signed(payload, next))).resolves.toMatchObject({ id: "evt_1" });
  });

  it("ignores signatures of other versions and malformed entries", async () => {
    const headers = signed(payload);
    const noisy = {
      ...headers,
      "webhook-signature": `v1a,abc v2,${headers["webhook-signature"].slice(3)} v1,%%% ${headers["webhook-signature"]}`,
    };
    await expect(new Webhook(secret).verify(payload, noisy)).resolves.toMatchObject({ id: "evt_1" });
    const onlyOthers = { ...headers, "webhook-signature": `v2,${headers["webhook-signature"].slice(3)}` };
    expect((await rejection(new Webhook(secret).verify(payload, onlyOthers))).code).toBe("invalid_signature");
  });

  it("refuses a secret that is not whsec_ and base64", () => {
    expect(() => new Webhook("whsec_***")).toThrow(TypeError);
    expect(() => new Webhook([])).toThrow(TypeError);
  });
});

describe("Webhook.sign", () => {
  it("signs what the reference library verifies, one signature per secret", async () => {
    const next = newSecret();
    const at = new Date();
    const id = "msg_9";
    const signature = await new Webhook([secret, next]).sign(id, at, payload);
    expect(signature.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature };
    expect(new Reference(secret).verify(payload, headers)).toMatchObject({ id: "evt_1" });
    expect(new Reference(next).verify(payload, headers)).toMatchObject({ id: "evt_1" });
  });
});
