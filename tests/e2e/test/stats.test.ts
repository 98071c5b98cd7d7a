import { endpointFor, publish, receiverPool, settledDeliveries, startEngine, type DeliveryView, type Engine } from "../src/engine.js";

/** GET /v1/stats over real deliveries: one receiver answers 200, one 500 until its deliveries fail. */
let engine: Engine;
const receivers = receiverPool();
beforeAll(async () => {
  // Three attempts per failing delivery, quickly, with no probing pause for the failing endpoint.
  engine = await startEngine({ RETRY_SCHEDULE: "0.05,0.05", FAILING_ENDPOINT_AFTER: "100" });
});
afterAll(async () => {
  await receivers.closeAll();
  await engine.close();
});

interface Stats {
  window_minutes: number;
  deliveries_per_minute: { minute: string; succeeded: number; failed: number; attempts: number }[];
  success_rate: number | null;
  endpoints: { active: number; paused: number; disabled: number; inactive: number };
  failing: { id: string; name: string; url: string; status: string; failing_since: string }[];
}

const minuteOf = (iso: string) => `${iso.slice(0, 16)}:00.000Z`;

it("counts the window's attempts per minute, the success rate, endpoints by status and the failing ones", async () => {
  const tenant = await engine.newTenant();
  const ok = await receivers.start(() => ({ status: 200 }));
  const broken = await receivers.start(() => ({ status: 500 }));
  const good = await endpointFor(tenant.request, ok.url, ["order.*"]);
  const bad = await endpointFor(tenant.request, broken.url, ["order.*"]);
  const idle = await endpointFor(tenant.request, ok.url, ["nothing.ever"]);
  await tenant.request("PATCH", `/v1/endpoints/${idle.endpointId}`, { body: { status: "PAUSED" } });

  const before = await tenant.request<Stats>("GET", "/v1/stats");
  expect(before.status).toBe(200);
  expect(before.body.success_rate).toBeNull();
  expect(before.body.deliveries_per_minute).toHaveLength(60);
  expect(before.body.deliveries_per_minute.every((m) => m.attempts === 0)).toBe(true);

  const deliveries: DeliveryView[] = [];
  for (const n of [1, 2]) {
    const event = await publish(tenant.request, "order.created", { n });
    deliveries.push(...(await settledDeliveries(tenant.request, event.id)));
  }
  const succeeded = deliveries.filter((d) => d.endpoint_id === good.endpointId);
  const failed = deliveries.filter((d) => d.endpoint_id === bad.endpointId);
  expect(succeeded.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
  expect(failed.map((d) => [d.status, d.attempt_count])).toEqual([
    ["failed", 3],
    ["failed", 3],
  ]);

  const stats = await tenant.request<Stats>("GET", "/v1/stats?window_minutes=5");
  expect(stats.status).toBe(200);
  expect(stats.body.window_minutes).toBe(5);
  const buckets = stats.body.deliveries_per_minute;
  expect(buckets).toHaveLength(5);
  // One minute apart, oldest first, the last the current one.
  expect(buckets.map((b) => Date.parse(b.minute)).every((t, i, all) => i === 0 || t - all[i - 1]! === 60_000)).toBe(true);
  expect(Date.parse(buckets.at(-1)!.minute)).toBeLessThanOrEqual(Date.now());
  expect(Date.now() - Date.parse(buckets.at(-1)!.minute)).toBeLessThan(120_000);

  // Each attempt counted in the minute it started: 2 that succeeded, 6 that did not.
  const expected = new Map<string, { succeeded: number; failed: number }>();
  for (const delivery of deliveries) {
    const full = (
      await tenant.request<{ attempts: { started_at: string; status_code: number | null }[] }>("GET", `/v1/deliveries/${delivery.id}`)
    ).body;
    for (const attempt of full.attempts) {
      const bucket = expected.get(minuteOf(attempt.started_at)) ?? { succeeded: 0, failed: 0 };
      if (attempt.status_code === 200) bucket.succeeded += 1;
      else bucket.failed += 1;
      expected.set(minuteOf(attempt.started_at), bucket);
    }
  }
  for (const bucket of buckets) {
    const want = expected.get(bucket.minute) ?? { succeeded: 0, failed: 0 };
    expect(bucket).toEqual({ minute: bucket.minute, ...want, attempts: want.succeeded + want.failed });
  }
  expect(buckets.reduce((sum, b) => sum + b.succeeded, 0)).toBe(2);
  expect(buckets.reduce((sum, b) => sum + b.failed, 0)).toBe(6);
  expect(stats.body.success_rate).toBeCloseTo(2 / 8);

  expect(stats.body.endpoints).toEqual({ active: 2, paused: 1, disabled: 0, inactive: 0 });
  expect(stats.body.failing).toEqual([
    { id: bad.endpointId, name: "receiver", url: broken.url, status: "ACTIVE", failing_since: expect.any(String) },
  ]);
  const stored = await engine.db.prisma.endpoint.findUniqueOrThrow({ where: { id: bad.endpointId } });
  expect(stats.body.failing[0]?.failing_since).toBe(stored.failingSince?.toISOString());

  // A disabled endpoint counts as such (the engine disables one after long failure).
  await engine.db.pool.query(`UPDATE endpoints SET status = 'DISABLED' WHERE id = $1`, [bad.endpointId]);
  const later = await tenant.request<Stats>("GET", "/v1/stats?window_minutes=1440");
  expect(later.body.deliveries_per_minute).toHaveLength(1440);
  expect(later.body.endpoints).toEqual({ active: 1, paused: 1, disabled: 1, inactive: 0 });
  expect(later.body.failing.map((f) => [f.id, f.status])).toEqual([[bad.endpointId, "DISABLED"]]);

  // Another tenant sees none of it.
  const other = await engine.newTenant();
  const theirs = await other.request<Stats>("GET", "/v1/stats");
  expect(theirs.body.success_rate).toBeNull();
  expect(theirs.body.deliveries_per_minute.every((m) => m.attempts === 0)).toBe(true);
  expect(theirs.body.endpoints).toEqual({ active: 0, paused: 0, disabled: 0, inactive: 0 });
  expect(theirs.body.failing).toEqual([]);
});

it.each(["window_minutes=0", "window_minutes=1441", "window_minutes=abc", "window_minutes=-5", "window_minutes=1.5"])(
  "answers %s with 400 in the one error format",
  async (query) => {
    const response = await engine.request<{ error: { code: string; details: { field: string }[] } }>("GET", `/v1/stats?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "validation_error", details: [{ field: "window_minutes" }] });
  },
);
