import { request as httpRequest, Agent } from "node:http";
import { connect } from "node:net";
import { jsonClient, startReceiver, TEST_ADMIN_TOKEN, useTestDatabase, useTestRedis, type Receiver } from "@hookline/testing";
import { spawnApi } from "./spawn-api.js";

const database = useTestDatabase();
const queue = useTestRedis();
const receivers: Receiver[] = [];
afterAll(() => Promise.all(receivers.map((r) => r.close())));

/**
 * What a browser and a slow integration leave open when the API is told to stop: an idle
 * keep-alive connection, a request whose body never finishes, and a publish waiting on a
 * synchronous webhook whose receiver does not answer. The API must still exit, in time.
 */
it("exits within its deadline on SIGTERM with a keep-alive connection, an unfinished body and a synchronous webhook waiting", async () => {
  const { api, port, base } = await spawnApi(
    { databaseUrl: database.url, queuePrefix: queue.prefix },
    { ALLOW_PRIVATE_TARGETS: "127.0.0.1" },
  );
  try {
    await api.waitFor("Hookline API listening");
    const tenant = await jsonClient(base, TEST_ADMIN_TOKEN)<{ api_key: string }>("POST", "/v1/tenants", { body: { name: "stop" } });
    const request = jsonClient(base, tenant.body.api_key);

    const tokens = await startReceiver(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ access_token: "t", token_type: "Bearer", expires_in: 3600 }),
    }));
    const silent = await startReceiver(() => ({ status: 200, delayMs: 60_000 }));
    receivers.push(tokens, silent);
    const webhook = await request("POST", "/v1/webhooks", {
      body: {
        name: "sync",
        trigger_action: "order.placed",
        url: silent.url,
        asynchronous: false,
        timeout: 30,
        authentication: { method: "oauth", token_url: `${tokens.url}/token`, client_id: "c", client_secret: "s" },
      },
    });
    expect(webhook.status).toBe(201);

    // An idle keep-alive connection, as a browser keeps one.
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      httpRequest(`${base}/healthz`, { agent }, (res) => res.resume().on("end", resolve))
        .on("error", reject)
        .end(),
    );
    // A request whose body never finishes.
    const partial = connect(port, "127.0.0.1");
    partial.on("error", () => undefined);
    partial.write(
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tenant.body.api_key}\r\n` +
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    );
    // A publish that waits on the synchronous webhook, whose receiver holds it.
    const waiting = request("POST", "/v1/events", { body: { event_type: "order.placed", data: {} } }).catch((error: unknown) => error);
    await silent.waitFor(1);

    // Its deadline is 10 s, after which it forces its exit with code 1: 0 says it stopped in time
    // by itself (and Jest's timeout would catch a process that never exits).
    expect(await api.stop("SIGTERM")).toBe(0);
    await waiting;
    partial.destroy();
    agent.destroy();
  } finally {
    if (api.child.exitCode === null) await api.stop("SIGKILL");
  }
}, 60_000);
