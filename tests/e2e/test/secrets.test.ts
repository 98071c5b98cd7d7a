import { Writable } from "node:stream";
import { createLogger } from "@hookline/core";
import { createRedis } from "@hookline/queue";
import { TEST_REDIS_URL, type Receiver, type ReceivedRequest, type ReplyFn } from "@hookline/testing";
import { processDelivery, startWorker } from "@hookline/worker";
import { endpointFor, publish, receiverPool, settledDeliveries, startEngine, verifyWebhook, type Engine } from "../src/engine.js";

/**
 * Secrets in motion: rotation with overlap as receivers see it, and the promise that no log line,
 * job payload or error message carries a secret, an API key or an event body. Every process of
 * this engine logs at trace level into memory so the last test can read all of it.
 */
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  },
});
let engine: Engine;
const receivers = receiverPool();

beforeAll(async () => {
  engine = await startEngine({ LOG_LEVEL: "trace" }, { logger: createLogger({ level: "trace", name: "secrets-test", destination: sink }) });
});
afterAll(async () => {
  await receivers.closeAll();
  await engine.close();
});

const receiver = (reply?: ReplyFn): Promise<Receiver> => receivers.start(reply);

function verifies(secret: string, request: ReceivedRequest): boolean {
  try {
    verifyWebhook(secret, request);
    return true;
  } catch {
    return false;
  }
}

const signatures = (request: ReceivedRequest | undefined) => String(request?.headers["webhook-signature"]).split(" ");

describe("secret rotation", () => {
  it("signs with the new and the old secret during the grace period, each verifying with standardwebhooks", async () => {
    const r = await receiver();
    const { endpointId, secret: oldSecret } = await endpointFor(engine.request, r.url, ["rotate.*"]);
    const rotated = await engine.request<{ secret: string }>("POST", `/v1/endpoints/${endpointId}/secret/rotate`);
    const newSecret = rotated.body.secret;

    await publish(engine.request, "rotate.one", { n: 1 });
    const [request] = await r.waitFor(1);
    expect(signatures(request)).toHaveLength(2);
    for (const signature of signatures(request)) expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifies(newSecret, request!)).toBe(true);
    expect(verifies(oldSecret, request!)).toBe(true);
    expect(verifies("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", request!)).toBe(false);

    // Once the grace period is over, only the new secret signs.
    await engine.db.pool.query(
      `UPDATE endpoints SET previous_secrets = jsonb_set(previous_secrets, '{0,expires_at}', to_jsonb('2000-01-01T00:00:00.000Z'::text))
       WHERE id = $1`,
      [endpointId],
    );
    await publish(engine.request, "rotate.two", { n: 2 });
    const [, later] = await r.waitFor(2);
    expect(signatures(later)).toHaveLength(1);
    expect(verifies(newSecret, later!)).toBe(true);
    expect(verifies(oldSecret, later!)).toBe(false);
  });

  it("keeps each replaced secret until its own expiry across several rotations", async () => {
    const r = await receiver();
    const { endpointId, secret: first } = await endpointFor(engine.request, r.url, ["again.*"]);
    const second = (await engine.request<{ secret: string }>("POST", `/v1/endpoints/${endpointId}/secret/rotate`)).body.secret;
    const third = (
      await engine.request<{ secret: string }>("POST", `/v1/endpoints/${endpointId}/secret/rotate`, { body: { grace_period_seconds: 0 } })
    ).body.secret;
    await publish(engine.request, "again.one");
    const [request] = await r.waitFor(1);
    // `second` was replaced with no grace; `first` still has most of its 24 hours.
    expect(signatures(request)).toHaveLength(2);
    expect([third, first, second].map((s) => verifies(s, request!))).toEqual([true, true, false]);
  });
});

describe("what leaves the process", () => {
  it("no log line, job payload or error message holds a secret, an API key or an event body", async () => {
    const endpointSecret = "whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ=";
    const clientSecret = "oauth-client-secret-never-logged";
    const marker = "event-body-marker-never-logged";
    const token = await receiver(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"access_token":"token-never-logged","expires_in":60}',
    }));
    const failing = await receiver(() => ({ status: 500, body: "receiver says no" }));
    // Holds its answers until the jobs in flight have been read from Redis.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ok = await receiver(async () => {
      await gate;
      return { status: 200 };
    });

    await endpointFor(engine.request, failing.url, ["leak.*"], { secret: endpointSecret });
    await endpointFor(engine.request, `${ok.url}/with-path?and=query`, ["leak.*"], {
      headers_json: { "X-Partner-Token": "header-never-logged" },
    });
    const webhook = await engine.request("POST", "/v1/webhooks", {
      body: {
        name: "oauth-leak",
        trigger_action: "leak.happened",
        url: ok.url,
        authentication: { method: "oauth", token_url: token.url, client_id: "client", client_secret: clientSecret },
      },
    });
    expect(webhook.status).toBe(201);
    // A bad request that echoes nothing back either.
    const refused = await engine.request("POST", "/v1/endpoints", { body: { name: "x", url: "ftp://nope", secret: endpointSecret } });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(endpointSecret);

    const event = await publish(engine.request, "leak.happened", { note: marker });
    await ok.waitFor(2);
    const redis = createRedis(TEST_REDIS_URL, "producer");
    const jobs: string[] = [];
    try {
      for (const key of await redis.keys(`${engine.config.queuePrefix}:*`)) {
        if ((await redis.type(key)) === "hash") jobs.push(JSON.stringify(await redis.hgetall(key)));
      }
    } finally {
      redis.disconnect();
    }
    release();
    await settledDeliveries(engine.request, event.id);
    // A second worker starting up logs too (key check, sealing).
    const late = startWorker(engine.config, createLogger({ level: "trace", name: "late", destination: sink }), processDelivery);
    await late.ready;
    await late.stop();
    // The two jobs in flight were read: ids only.
    const payloads = jobs.flatMap((job) => {
      const data = (JSON.parse(job) as { data?: string }).data;
      return data === undefined ? [] : [JSON.parse(data) as Record<string, unknown>];
    });
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    for (const payload of payloads) expect(payload).toEqual({ v: 1, deliveryId: expect.stringMatching(/^msg_/) });

    const secrets = [
      endpointSecret,
      endpointSecret.slice(6),
      clientSecret,
      marker,
      "token-never-logged",
      "header-never-logged",
      engine.apiKey,
      engine.apiKey.split(".")[1]!,
    ];
    expect(logLines.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect([secret, logLines.filter((line) => line.includes(secret))]).toEqual([secret, []]);
      expect([secret, jobs.filter((job) => job.includes(secret))]).toEqual([secret, []]);
    }
    // Log lines do carry the ids that make them useful.
    expect(logLines.some((line) => line.includes('"delivery_id":"msg_'))).toBe(true);
    expect(logLines.some((line) => line.includes('"req":{"id":'))).toBe(true);
  });
});
