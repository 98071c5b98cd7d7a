import { Webhook } from "standardwebhooks";
import type { SpawnedProcess } from "@hookline/testing";
import { cliUser } from "../src/cli.js";
import { eventually, publish, receiverPool, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/**
 * `hookline listen` end to end: the CLI as a subprocess, a local server that verifies every
 * request with the reference Standard Webhooks library, the attempt log in the API.
 */
let engine: Engine;
const receivers = receiverPool();
const running: SpawnedProcess[] = [];
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await Promise.all(running.map((cli) => cli.stop("SIGKILL")));
  await receivers.closeAll();
  await engine.close();
});

interface Started {
  session: string;
  secret: string;
  resumed: boolean;
}

async function startListen(user: ReturnType<typeof cliUser>, args: string[]): Promise<{ cli: SpawnedProcess; started: Started }> {
  const cli = user.start(["listen", "--json", ...args]);
  running.push(cli);
  await cli.waitFor('"ready":true');
  const started = JSON.parse(cli.lines.find((line) => line.includes('"ready":false'))!) as Started;
  return { cli, started };
}

const endpointStatus = async (request: Engine["request"], id: string) =>
  (await request<{ status: string }>("GET", `/v1/endpoints/${id}`)).body.status;

describe("hookline listen", () => {
  it("forwards deliveries signed as real ones, prints a line for each, and records the local answer as the attempt", async () => {
    const tenant = await engine.newTenant("listen-cli");
    const user = cliUser({ HOOKLINE_URL: engine.api.url, HOOKLINE_API_KEY: tenant.apiKey });
    let secret = "";
    const local = await receivers.start((request, index) => {
      // The local server checks the signature as a real receiver would, with the printed secret.
      new Webhook(secret).verify(request.body, {
        "webhook-id": String(request.headers["webhook-id"]),
        "webhook-timestamp": String(request.headers["webhook-timestamp"]),
        "webhook-signature": String(request.headers["webhook-signature"]),
      });
      return { status: index === 0 ? 503 : 200, body: index === 0 ? "not yet" : "thanks" };
    });
    const { cli, started } = await startListen(user, ["--forward-to", `${local.url}/webhooks`, "--events", "payment.*"]);
    secret = started.secret;
    expect(started.resumed).toBe(false);

    const ignored = await publish(tenant.request, "order.placed", {});
    const event = await publish(tenant.request, "payment.created", { amount: 42 });
    const [first, second] = await local.waitFor(2);
    expect(first!.path).toBe("/webhooks");
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(JSON.parse(second!.body)).toMatchObject({ type: "payment.created", data: { amount: 42 } });

    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery).toMatchObject({ status: "succeeded", endpoint_id: started.session });
    expect(delivery!.attempts.map((a) => [a.status_code, a.response_body])).toEqual([
      [503, "not yet"],
      [200, "thanks"],
    ]);
    expect((await tenant.request<{ deliveries: unknown[] }>("GET", `/v1/events/${ignored.id}`)).body.deliveries).toEqual([]);
    await cli.waitFor('"status_code":200');
    expect(cli.lines.filter((line) => line.includes('"event_type":"payment.created"'))).toHaveLength(2);

    // Ctrl-C: the session and its endpoint go.
    expect(await cli.stop("SIGINT")).toBe(0);
    expect((await tenant.request("GET", `/v1/listen/${started.session}`)).status).toBe(404);
    user.cleanup();
  });

  it("killed and started again, it receives what was published meanwhile", async () => {
    const tenant = await engine.newTenant("listen-restart");
    const user = cliUser({ HOOKLINE_URL: engine.api.url, HOOKLINE_API_KEY: tenant.apiKey });
    const local = await receivers.start();
    const first = await startListen(user, ["--forward-to", local.url]);
    await first.cli.stop("SIGKILL");
    // The API saw the stream close: the endpoint holds what comes now.
    await eventually(async () => ((await endpointStatus(tenant.request, first.started.session)) === "PAUSED" ? true : undefined));
    const events = [await publish(tenant.request, "a.one", { n: 1 }), await publish(tenant.request, "b.two", { n: 2 })];

    const second = await startListen(user, ["--forward-to", local.url]);
    expect(second.started).toMatchObject({ session: first.started.session, resumed: true });
    const arrived = await local.waitFor(2);
    expect(arrived.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual(events.map((e) => e.id));
    for (const event of events) expect((await settledDeliveries(tenant.request, event.id))[0]!.status).toBe("succeeded");
    expect(await second.cli.stop("SIGINT")).toBe(0);
    user.cleanup();
  });

  it("reports a local server that does not answer as a failed attempt", async () => {
    const tenant = await engine.newTenant("listen-refused");
    const user = cliUser({ HOOKLINE_URL: engine.api.url, HOOKLINE_API_KEY: tenant.apiKey });
    const closed = await receivers.start();
    const url = closed.url;
    await closed.close();
    const { cli } = await startListen(user, ["--forward-to", url]);
    const event = await publish(tenant.request, "x.y", {});
    const [delivery] = await settledDeliveries(tenant.request, event.id);
    expect(delivery!.status).toBe("failed");
    expect(delivery!.attempts[0]).toMatchObject({ status_code: null, error_kind: "connection" });
    expect(delivery!.attempts[0]!.error_message).toContain("ECONNREFUSED");
    await cli.stop("SIGINT");
    user.cleanup();
  });
});
