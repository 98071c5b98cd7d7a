import pg from "pg";
import { claimStaleRecoveries, continueRecovery } from "@hookline/db";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface RecoveryBody {
  id: string;
  status: "running" | "completed";
  recovered: number;
  completed_at: string | null;
}

/** A tenant's endpoint with `count` failed deliveries. */
async function endpointWithFailures(count: number) {
  const t = await h.newTenant();
  const ep = (await t.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "r", url: "https://r.example/" } })).body.id;
  await t.request("POST", "/v1/subscriptions", { body: { endpoint_id: ep, event_types: ["r.x"] } });
  await t.request("PATCH", `/v1/endpoints/${ep}`, { body: { status: "PAUSED" } });
  const events = Array.from({ length: count }, (_, n) => ({ event_type: "r.x", data: { n } }));
  expect((await t.request("POST", "/v1/events/batch", { body: { events } })).status).toBe(202);
  await h.db.pool.query("UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = $1", [ep]);
  return { t, ep };
}

async function failedCount(endpointId: string): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1 AND status = 'failed'",
    [endpointId],
  );
  return Number(rows[0]?.n);
}

describe("recovering an endpoint's failed deliveries", () => {
  it("answers 202 at once with the recovery, whose count grows to the total in the background", async () => {
    const { t, ep } = await endpointWithFailures(120);
    const since = new Date(Date.now() - 3600_000).toISOString();
    // Another session holds the first failed delivery: a recovery inside the request would wait for it.
    const blocker = new pg.Client({ connectionString: h.config.databaseUrl });
    await blocker.connect();
    let started: RecoveryBody;
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM deliveries WHERE endpoint_id = $1 ORDER BY seq LIMIT 1 FOR UPDATE", [ep]);
      const response = await t.request<RecoveryBody>("POST", `/v1/endpoints/${ep}/recover`, { body: { since } });
      expect(response.status).toBe(202);
      started = response.body;
      expect(started).toMatchObject({ status: "running", recovered: 0, completed_at: null, endpoint_id: ep, since });
      expect(await failedCount(ep)).toBe(120);
      await blocker.query("COMMIT");
    } finally {
      await blocker.end();
    }
    let progress = started;
    for (let i = 0; progress.status !== "completed"; i++) {
      if (i > 500) throw new Error("the recovery did not complete");
      await new Promise((resolve) => setTimeout(resolve, 20));
      progress = (await t.request<RecoveryBody>("GET", `/v1/endpoints/${ep}/recoveries/${started.id}`)).body;
    }
    expect(progress).toMatchObject({ recovered: 120, completed_at: expect.any(String) });
    expect(await failedCount(ep)).toBe(0);

    // Another tenant, an unknown id or another endpoint's: 404.
    const other = await h.newTenant();
    expect((await other.request("GET", `/v1/endpoints/${ep}/recoveries/${started.id}`)).status).toBe(404);
    expect((await t.request("GET", `/v1/endpoints/${ep}/recoveries/rcv_nope`)).status).toBe(404);
    expect((await t.request("POST", `/v1/endpoints/ep_0190a0a0-0000-7000-8000-000000000000/recover`, { body: { since } })).status).toBe(
      404,
    );
  });

  it("is finished by a worker when the process running it stopped", async () => {
    const { t, ep } = await endpointWithFailures(30);
    // A recovery as a process that died right after answering would leave it.
    const { rows } = await h.db.pool.query<{ id: string }>(
      `INSERT INTO recoveries (id, tenant_id, endpoint_id, since, updated_at)
       SELECT 'rcv_0190a0a0-0000-7000-8000-00000000000' || floor(random() * 9)::int, tenant_id, id, now() - interval '1 hour', now() - interval '2 minutes'
       FROM endpoints WHERE id = $1 RETURNING id`,
      [ep],
    );
    const id = rows[0]!.id;
    // Not yet stale for a minute's threshold... but for this test's, it is.
    expect(await claimStaleRecoveries(h.db, 5 * 60_000, 10)).toEqual([]);
    const claimed = await claimStaleRecoveries(h.db, 60_000, 10);
    expect(claimed.map((r) => r.id)).toEqual([id]);
    // Claimed: its time moved, so another worker asking now does not take it too.
    expect(await claimStaleRecoveries(h.db, 60_000, 10)).toEqual([]);
    const done = await continueRecovery(h.db, claimed[0]!, async () => undefined);
    expect(done).toMatchObject({ status: "completed", recovered: 30 });
    expect((await t.request<RecoveryBody>("GET", `/v1/endpoints/${ep}/recoveries/${id}`)).body).toMatchObject({
      status: "completed",
      recovered: 30,
    });
  });
});
