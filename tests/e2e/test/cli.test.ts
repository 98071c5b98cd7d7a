import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliUser } from "../src/cli.js";
import { receiverPool, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/** `hookline` as a subprocess against a real API, worker, Postgres and Redis. */
let engine: Engine;
let tenant: Awaited<ReturnType<Engine["newTenant"]>>;
let user: ReturnType<typeof cliUser>;
const receivers = receiverPool();
beforeAll(async () => {
  engine = await startEngine();
  tenant = await engine.newTenant("cli");
  user = cliUser({ HOOKLINE_URL: engine.api.url, HOOKLINE_API_KEY: tenant.apiKey });
});
afterAll(async () => {
  user.cleanup();
  await receivers.closeAll();
  await engine.close();
});

const json = <T>(stdout: string) => JSON.parse(stdout) as T;

describe("hookline", () => {
  it("says how to log in when it has no URL or key, with exit code 3", async () => {
    const stranger = cliUser();
    const result = await stranger.run(["endpoints", "list"]);
    stranger.cleanup();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("hookline login");
  });

  it("logs in: checks the key, then saves it readable only by the user", async () => {
    const person = cliUser();
    const refused = await person.run(["login", "--url", engine.api.url, "--api-key", "key_nope.nope"]);
    expect(refused.code).toBe(3);
    const ok = await person.run(["login", "--url", engine.api.url, "--api-key", tenant.apiKey]);
    expect(ok.code).toBe(0);
    const file = join(person.configDir, "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Saved: no environment needed any more.
    const listed = await person.run(["endpoints", "list", "--json"]);
    expect(listed.code).toBe(0);
    expect(Array.isArray(json(listed.stdout))).toBe(true);
    person.cleanup();
  });

  it("manages an endpoint: create with a subscription, list, pause, resume, secret, delete", async () => {
    const receiver = await receivers.start();
    const created = await user.run(["endpoints", "create", "--url", receiver.url, "--name", "orders", "--events", "order.*", "--json"]);
    expect(created.code).toBe(0);
    const endpoint = json<{ id: string; status: string }>(created.stdout);
    expect(endpoint.status).toBe("ACTIVE");

    const table = await user.run(["endpoints", "list"]);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+URL/m);
    expect(table.stdout).toContain(endpoint.id);

    const subscriptions = json<{ event_types: string[] }[]>(
      (await user.run(["subscriptions", "list", "--endpoint", endpoint.id, "--json"])).stdout,
    );
    expect(subscriptions.map((s) => s.event_types)).toEqual([["order.*"]]);

    expect((await user.run(["endpoints", "pause", endpoint.id])).stdout).toContain("PAUSED");
    expect(json<{ status: string }>((await user.run(["endpoints", "get", endpoint.id, "--json"])).stdout).status).toBe("PAUSED");
    expect((await user.run(["endpoints", "resume", endpoint.id])).stdout).toContain("ACTIVE");
    expect((await user.run(["endpoints", "secret", endpoint.id])).stdout).toMatch(/^whsec_/);

    expect((await user.run(["endpoints", "delete", endpoint.id])).code).toBe(0);
    const gone = await user.run(["endpoints", "get", endpoint.id]);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain("404");
  });

  it("publishes, shows the event's deliveries and their attempts, and retries a failed one", async () => {
    const receiver = await receivers.start((_request, index) => ({ status: index < 4 ? 500 : 200 }));
    const endpoint = json<{ id: string }>(
      (await user.run(["endpoints", "create", "--url", receiver.url, "--events", "invoice.paid", "--json"])).stdout,
    );
    const published = await user.run(["events", "publish", "invoice.paid", "--data", '{"amount":7}', "--json"]);
    expect(published.code).toBe(0);
    const event = json<{ id: string; deliveries: number }>(published.stdout);
    expect(event.deliveries).toBe(1);

    // Four attempts (the first and three retries) all get 500: the delivery fails.
    const [failed] = await settledDeliveries(tenant.request, event.id);
    expect(failed!.status).toBe("failed");
    const shown = await user.run(["deliveries", "get", failed!.id]);
    expect(shown.stdout).toMatch(/^#\s+STARTED\s+STATUS/m);
    expect(shown.stdout.match(/\b500\b/g)?.length).toBeGreaterThanOrEqual(4);

    const listed = json<{ id: string }[]>(
      (await user.run(["deliveries", "list", "--endpoint", endpoint.id, "--status", "failed", "--json"])).stdout,
    );
    expect(listed.map((d) => d.id)).toEqual([failed!.id]);

    expect((await user.run(["deliveries", "retry", failed!.id])).code).toBe(0);
    await settledDeliveries(tenant.request, event.id, ["succeeded"]);
    // Retrying what succeeded is refused: exit code 5.
    const again = await user.run(["deliveries", "retry", failed!.id]);
    expect(again.code).toBe(5);

    const eventShown = await user.run(["events", "get", event.id]);
    expect(eventShown.stdout).toContain("invoice.paid");
    expect(eventShown.stdout).toContain("succeeded");
  });

  it("triggers an event type with sample data made from its schema", async () => {
    const schema = JSON.stringify({
      type: "object",
      required: ["amount", "currency"],
      properties: { amount: { type: "integer", minimum: 1 }, currency: { type: "string", enum: ["eur", "usd"] } },
    });
    expect((await user.run(["event-types", "create", "payment.created", "--description", "A payment", "--schema", schema])).code).toBe(0);
    const types = await user.run(["event-types", "list"]);
    expect(types.stdout).toContain("payment.created");

    const triggered = await user.run(["trigger", "payment.created", "--json"]);
    expect(triggered.code).toBe(0);
    const event = json<{ id: string; data: { amount: number; currency: string } }>(triggered.stdout);
    expect(Number.isInteger(event.data.amount) && event.data.amount >= 1).toBe(true);
    expect(["eur", "usd"]).toContain(event.data.currency);
    // The API validated the sample against the schema and stored it.
    expect((await tenant.request<{ data: unknown }>("GET", `/v1/events/${event.id}`)).body.data).toEqual(event.data);

    const unknown = await user.run(["trigger", "no.such_type"]);
    expect(unknown.code).toBe(4);
  });

  it("publishes a file of events in batches and refuses bad input with exit codes 2 and 5", async () => {
    const file = join(user.configDir, "events.ndjson");
    writeFileSync(file, Array.from({ length: 3 }, (_, i) => JSON.stringify({ event_type: "bulk.item", data: { i } })).join("\n"));
    const bulk = await user.run(["events", "publish", "--file", file, "--json"]);
    expect(bulk.code).toBe(0);
    expect(json(bulk.stdout)).toEqual({ published: 3, replayed: 0 });

    const usage = await user.run(["endpoints", "create"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--url");

    const invalid = await user.run(["endpoints", "create", "--url", "ftp://example.com/x"]);
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toMatch(/url/i);
  });
});
