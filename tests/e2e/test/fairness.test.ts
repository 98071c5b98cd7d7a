import { startReceiver, type Receiver } from "@hookline/testing";
import { endpointFor, publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

/**
 * One receiver that hangs until the endpoint's timeout must not take the worker's slots from the
 * others: it never has more than ENDPOINT_MAX_IN_FLIGHT requests open, and the healthy endpoint's
 * deliveries all succeed while it hangs.
 */
let engine: Engine;
let hanging: Receiver;
let healthy: Receiver;
let open = 0;
let mostOpen = 0;

beforeAll(async () => {
  hanging = await startReceiver(() => {
    // Requests never end here (the endpoint's 30 s timeout outlasts the test), so every
    // request received is one still open.
    open++;
    mostOpen = Math.max(mostOpen, open);
    return { status: 200, delayMs: 60_000 };
  });
  healthy = await startReceiver();
  engine = await startEngine({ WORKER_CONCURRENCY: "4", ENDPOINT_MAX_IN_FLIGHT: "2", RETRY_SCHEDULE: "30" });
});
afterAll(async () => {
  // The receivers go first, so the worker's shutdown does not wait out the hanging requests.
  await Promise.all([hanging.close(), healthy.close()]);
  await engine.close();
});

it("keeps a hanging endpoint to its share of slots while the others are delivered", async () => {
  const stuck = await endpointFor(engine.request, hanging.url, ["stuck.*"], { timeout_seconds: 30 });
  await endpointFor(engine.request, healthy.url, ["fine.*"]);
  hanging.requests.length = 0;
  for (let i = 0; i < 6; i++) await publish(engine.request, "stuck.now", { i });
  // The hanging endpoint has taken what it may; everything else still flows through the others.
  await hanging.waitFor(2);
  const events = [];
  for (let i = 0; i < 8; i++) events.push(await publish(engine.request, "fine.now", { i }));
  for (const event of events) {
    const [delivery] = await settledDeliveries(engine.request, event.id);
    expect(delivery?.status).toBe("succeeded");
  }
  await healthy.waitFor(8);
  expect(mostOpen).toBe(2);
  // The turned-away deliveries were deferred, not attempted: no attempt rows beyond the two in flight.
  const attempts = await engine.db.pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1",
    [stuck.endpointId],
  );
  expect(Number(attempts.rows[0]?.n)).toBeLessThanOrEqual(2);
});
