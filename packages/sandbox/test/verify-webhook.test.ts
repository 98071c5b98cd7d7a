import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { DEFAULT_SANDBOX_LIMITS, SandboxPool, type Invocation } from "../src/index.js";
import { verifyWebhookSignature } from "../src/verify-webhook.js";
import { invocation, request } from "./helpers.js";

const PAYLOAD = '{"id":"evt_1","type":"invoice.paid"}';
const STRIPE_SECRET = "whsec_stripe_test_secret";
const GITHUB_SECRET = "github-secret";
const STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const now = () => Math.floor(Date.now() / 1000);
const hex = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest("hex");

const stripeHeader = (timestamp: number, secret = STRIPE_SECRET, payload = PAYLOAD) =>
  `t=${timestamp},v1=${hex(secret, `${timestamp}.${payload}`)},v0=ignored`;
const githubHeader = (secret = GITHUB_SECRET, payload = PAYLOAD) => `sha256=${hex(secret, payload)}`;
/** Standard Webhooks headers, signed by the reference package. */
const standardHeaders = (timestamp: number, secret = STANDARD_SECRET, payload = PAYLOAD): [string, string][] => {
  const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  return [
    ["webhook-id", id],
    ["webhook-timestamp", String(timestamp)],
    ["webhook-signature", `v1,bm90IGl0 ${new Webhook(secret).sign(id, new Date(timestamp * 1000), payload)}`],
  ];
};

describe("verifyWebhookSignature (in the thread, with node:crypto and standardwebhooks)", () => {
  const check = (provider: "stripe" | "github" | "standard", headers: [string, string][], secret: string, toleranceSeconds = 300) =>
    verifyWebhookSignature({ provider, secret, payload: PAYLOAD, headers, toleranceSeconds });

  test("stripe: right, wrong and expired signatures", () => {
    expect(check("stripe", [["stripe-signature", stripeHeader(now())]], STRIPE_SECRET)).toBe("");
    expect(check("stripe", [["stripe-signature", stripeHeader(now(), "whsec_other")]], STRIPE_SECRET)).toBe("no v1 signature matches");
    expect(check("stripe", [["stripe-signature", stripeHeader(now() - 301)]], STRIPE_SECRET)).toMatch(/more than the tolerance of 300 s/);
    expect(check("stripe", [["stripe-signature", stripeHeader(now() - 301)]], STRIPE_SECRET, 600)).toBe("");
    expect(check("stripe", [], STRIPE_SECRET)).toBe("no stripe-signature header");
  });

  test("github: right and wrong signatures", () => {
    expect(check("github", [["x-hub-signature-256", githubHeader()]], GITHUB_SECRET)).toBe("");
    expect(check("github", [["x-hub-signature-256", githubHeader("other")]], GITHUB_SECRET)).toBe("the signature does not match");
    expect(check("github", [["x-hub-signature-256", "sha1=abc"]], GITHUB_SECRET)).toMatch(/sha256=/);
  });

  test("standard webhooks: the reference test vector, right, wrong and expired signatures", () => {
    const vector: [string, string][] = [
      ["webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"],
      ["webhook-timestamp", "1614265330"],
      ["webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ];
    expect(
      verifyWebhookSignature({
        provider: "standard",
        secret: STANDARD_SECRET,
        payload: '{"test": 2432232314}',
        headers: vector,
        toleranceSeconds: 300,
        nowSeconds: 1614265330,
      }),
    ).toBe("");
    expect(check("standard", standardHeaders(now()), STANDARD_SECRET)).toBe("");
    expect(check("standard", standardHeaders(now(), "whsec_dGhhdCBpcyBhbm90aGVyIHNlY3JldA=="), STANDARD_SECRET)).toBe(
      "no v1 signature matches",
    );
    expect(check("standard", standardHeaders(now() - 301), STANDARD_SECRET)).toMatch(/old, more than the tolerance/);
    expect(check("standard", standardHeaders(now() + 301), STANDARD_SECRET)).toMatch(/in the future/);
    expect(check("standard", standardHeaders(now()), "not base64 !")).toMatch(/not a valid Standard Webhooks secret/);
  });
});

describe("utils.verifyWebhook, utils.hmac and utils.timingSafeEqual in a workflow", () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
  });
  afterAll(() => pool.close());

  const verify = async (
    provider: string,
    secret: string,
    headers: [string, string][],
    extra = "",
  ): Promise<{ valid: boolean; logs: string[] }> => {
    const source = `export default async ({ utils }) => Response.json({ valid: utils.verifyWebhook({ provider: ${JSON.stringify(provider)}, secret: ${JSON.stringify(secret)}${extra} }) });`;
    const overrides: Partial<Invocation> = {
      request: request({ body: PAYLOAD, headers: [["content-type", "application/json"], ...headers] }),
    };
    const result = await pool.run(invocation(source, overrides));
    if (result.outcome !== "ok") throw new Error(JSON.stringify(result.error));
    return {
      valid: (JSON.parse(result.response?.body ?? "") as { valid: boolean }).valid,
      logs: result.logs.map((line) => `${line.level}: ${line.message}`),
    };
  };

  test("defaults to the request's body and headers, for each provider", async () => {
    expect(await verify("stripe", STRIPE_SECRET, [["stripe-signature", stripeHeader(now())]])).toEqual({ valid: true, logs: [] });
    expect(await verify("github", GITHUB_SECRET, [["x-hub-signature-256", githubHeader()]])).toEqual({ valid: true, logs: [] });
    expect(await verify("standard", STANDARD_SECRET, standardHeaders(now()))).toEqual({ valid: true, logs: [] });
  });

  test("a wrong or expired signature is false, with the reason in a debug log line", async () => {
    expect(await verify("stripe", "whsec_wrong", [["stripe-signature", stripeHeader(now())]])).toEqual({
      valid: false,
      logs: ["debug: utils.verifyWebhook(stripe): no v1 signature matches"],
    });
    const expired = await verify("standard", STANDARD_SECRET, standardHeaders(now() - 3600));
    expect(expired.valid).toBe(false);
    expect(expired.logs[0]).toMatch(/^debug: utils.verifyWebhook\(standard\): the timestamp is \d+ s old/);
    expect((await verify("standard", STANDARD_SECRET, standardHeaders(now() - 3600), ", toleranceSeconds: 7200")).valid).toBe(true);
    expect((await verify("github", "wrong", [["x-hub-signature-256", githubHeader()]])).valid).toBe(false);
  });

  test("payload and headers can be given explicitly", async () => {
    const other = '{"other":true}';
    const source = `export default async ({ utils }) => Response.json({
      valid: utils.verifyWebhook({ provider: "github", secret: ${JSON.stringify(GITHUB_SECRET)}, payload: ${JSON.stringify(other)}, headers: new Headers({ "X-Hub-Signature-256": ${JSON.stringify(githubHeader(GITHUB_SECRET, other))} }) }),
    });`;
    const result = await pool.run(invocation(source));
    expect(JSON.parse(result.response?.body ?? "")).toEqual({ valid: true });
  });

  test("an unknown provider or a missing secret is a TypeError, not false", async () => {
    const result = await pool.run(
      invocation('export default async ({ utils }) => Response.json(utils.verifyWebhook({ provider: "paypal", secret: "x" }));'),
    );
    expect(result).toMatchObject({ outcome: "error", error: { name: "TypeError" } });
  });

  test("hmac and timingSafeEqual", async () => {
    const source = [
      "export default async ({ utils }) => Response.json({",
      '  sha1: utils.hmac("sha1", "key", "data"),',
      '  sha256: utils.hmac("sha256", "key", "data", "base64"),',
      '  sha512: utils.hmac("sha512", "key", "data", "base64url"),',
      '  same: utils.timingSafeEqual("abc", "abc"),',
      '  different: utils.timingSafeEqual("abc", "abd"),',
      '  length: utils.timingSafeEqual("abc", "abcd"),',
      "});",
    ].join("\n");
    const result = await pool.run(invocation(source));
    expect(JSON.parse(result.response?.body ?? "")).toEqual({
      sha1: createHmac("sha1", "key").update("data").digest("hex"),
      sha256: createHmac("sha256", "key").update("data").digest("base64"),
      sha512: createHmac("sha512", "key").update("data").digest("base64url"),
      same: true,
      different: false,
      length: false,
    });
    const bad = await pool.run(invocation('export default async ({ utils }) => new Response(utils.hmac("md5", "k", "d"));'));
    expect(bad).toMatchObject({ outcome: "error", error: { name: "TypeError" } });
  });
});
