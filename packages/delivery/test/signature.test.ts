import { Webhook } from "standardwebhooks";
import { sign, signedHeaders } from "../src/index.js";

// The reference library's own test vector.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';

describe("Standard Webhooks signatures", () => {
  it("match the reference test vector", () => {
    expect(sign(SECRET, ID, TIMESTAMP, BODY)).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("verify with the standardwebhooks library, one signature per secret, space-separated", () => {
    const other = "whsec_dGhpcnR5LXR3by1ieXRlcy1vZi1yYW5kb20tZGF0YQ==";
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([SECRET, other], ID, now, BODY);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(SECRET).verify(BODY, { ...headers })).toEqual({ test: 2432232314 });
    expect(new Webhook(other).verify(BODY, { ...headers })).toEqual({ test: 2432232314 });
    expect(() => new Webhook(SECRET).verify(`${BODY} `, { ...headers })).toThrow();
  });
});
