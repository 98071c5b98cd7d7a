import { startReceiver, type Receiver } from "@hookline/testing";
import { endpointFor, publish, settledDeliveries, startEngine, type Engine } from "../src/engine.js";

let engine: Engine;
let healthy = false;
let flaky: Receiver;
let ops: Receiver;
beforeAll(async () => {
  engine = await startEngine({ ENDPOINT_DISABLE_AFTER_SECONDS: "3600", RETRY_SCHEDULE: "0.05,0.05" });
  flaky = await startReceiver(() => ({ status: healthy ? 200 : 500 }));
  ops = await startReceiver();
});
afterAll(async () => {
  await Promise.all([flaky.close(), ops.close()]);
  await engine.close();
});

it("disables an endpoint that keeps failing, tells the tenant, and recovers what failed once it is fixed", async () => {
  const tenant = await engine.newTenant();
  const { endpointId } = await endpointFor(tenant.request, flaky.url, ["order.*"]);
  await endpointFor(tenant.request, ops.url, ["endpoint.*"]);

  // A delivery that uses up its schedule while the receiver is broken.
  const lost = await publish(tenant.request, "order.created", { n: 1 });
  const [failed] = await settledDeliveries(tenant.request, lost.id);
  expect(failed?.status).toBe("failed");
  const failing = await engine.db.prisma.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
  expect(failing.failingSince).toBeInstanceOf(Date);

  // The receiver has now been failing for longer than the limit (as if hours had passed).
  await engine.db.pool.query(`UPDATE endpoints SET failing_since = now() - interval '2 hours' WHERE id = $1`, [endpointId]);
  const next = await publish(tenant.request, "order.updated", { n: 2 });
  const [notice] = await ops.waitFor(1);
  const body = JSON.parse(notice?.body ?? "{}") as { type: string; data: Record<string, unknown> };
  expect(body).toMatchObject({
    type: "endpoint.disabled",
    data: { endpoint_id: endpointId, url: flaky.url, reason: expect.stringContaining("failed since"), disabled_at: expect.any(String) },
  });
  expect((await tenant.request("GET", `/v1/endpoints/${endpointId}`)).body).toMatchObject({ status: "DISABLED" });
  // Nothing is dropped: the delivery in progress is held for the disabled endpoint.
  const [held] = await settledDeliveries(tenant.request, next.id, ["held"]);
  expect(held?.attempt_count).toBe(1);

  // Fixed: resuming releases what was held, recover re-sends what had failed.
  healthy = true;
  const before = flaky.requests.length;
  const resumed = await tenant.request("PATCH", `/v1/endpoints/${endpointId}`, { body: { status: "ACTIVE" } });
  expect(resumed.body).toMatchObject({ status: "ACTIVE" });
  const recover = await tenant.request("POST", `/v1/endpoints/${endpointId}/recover`, {
    body: { since: new Date(Date.now() - 3600_000).toISOString() },
  });
  // Answered at once with the recovery; its count is final once it completes.
  expect(recover.status).toBe(202);
  const recovery = recover.body as { id: string; status: string };
  expect(recover.body).toMatchObject({ id: expect.stringMatching(/^rcv_/), endpoint_id: endpointId, status: expect.any(String) });
  expect(recover.headers.get("location")).toBe(`/v1/endpoints/${endpointId}/recoveries/${recovery.id}`);
  await flaky.waitFor(before + 2);
  const progress = await tenant.request("GET", `/v1/endpoints/${endpointId}/recoveries/${recovery.id}`);
  expect(progress.body).toMatchObject({ status: "completed", recovered: 1, completed_at: expect.any(String) });
  expect((await settledDeliveries(tenant.request, lost.id, ["succeeded"]))[0]?.attempt_count).toBe(4);
  expect((await settledDeliveries(tenant.request, next.id, ["succeeded"]))[0]?.attempt_count).toBe(2);
  const after = await engine.db.prisma.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
  expect(after.failingSince).toBeNull();
});

it("rejects a recover without a valid since", async () => {
  const tenant = await engine.newTenant();
  const { endpointId } = await endpointFor(tenant.request, flaky.url, ["x.y"]);
  const response = await tenant.request("POST", `/v1/endpoints/${endpointId}/recover`, { body: { since: "yesterday" } });
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ error: { details: [{ field: "since" }] } });
});
