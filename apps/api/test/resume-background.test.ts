import pg from "pg";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function heldCount(endpointId: string): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1 AND status = 'held'", [
    endpointId,
  ]);
  return Number(rows[0]?.n);
}

describe("resuming an endpoint", () => {
  it("answers before its held deliveries are released, then releases them all", async () => {
    const t = await h.newTenant();
    const ep = (await t.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "r", url: "https://r.example/" } })).body.id;
    await t.request("POST", "/v1/subscriptions", { body: { endpoint_id: ep, event_types: ["r.x"] } });
    await t.request("PATCH", `/v1/endpoints/${ep}`, { body: { status: "PAUSED" } });
    for (let i = 0; i < 3; i++) {
      const events = Array.from({ length: 100 }, (_, j) => ({ event_type: "r.x", data: { n: i * 100 + j } }));
      expect((await t.request("POST", "/v1/events/batch", { body: { events } })).status).toBe(202);
    }
    expect(await heldCount(ep)).toBe(300);

    // Another session holds the first held delivery: a release inside the request would wait for it.
    const blocker = new pg.Client({ connectionString: h.config.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM deliveries WHERE endpoint_id = $1 AND status = 'held' ORDER BY seq LIMIT 1 FOR UPDATE", [ep]);
      const resumed = await t.request<{ status: string }>("PATCH", `/v1/endpoints/${ep}`, { body: { status: "ACTIVE" } });
      expect(resumed.status).toBe(200);
      expect(resumed.body.status).toBe("ACTIVE");
      expect(await heldCount(ep)).toBe(300);
      await blocker.query("COMMIT");
    } finally {
      await blocker.end();
    }

    // Released after the answer, all of them.
    for (let i = 0; (await heldCount(ep)) > 0; i++) {
      if (i > 500) throw new Error("held deliveries were not released");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { rows } = await h.db.pool.query<{ status: string; n: string }>(
      "SELECT status, count(*) AS n FROM deliveries WHERE endpoint_id = $1 GROUP BY status",
      [ep],
    );
    expect(rows).toEqual([{ status: "pending", n: "300" }]);
  });
});
