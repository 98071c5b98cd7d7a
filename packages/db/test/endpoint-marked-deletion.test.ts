import { useTestDatabase } from "@hookline/testing";
import { purgeDeletedEndpoints, tenantScope, type Database } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n);
}

describe("deleting an endpoint", () => {
  const database = useTestDatabase();

  it("hides it and its deliveries at once, in one statement's worth of work, and leaves the rows to the background purge", async () => {
    const { db } = database;
    const { endpoint, deliveryIds } = await endpointWithDeliveries(db, "mark", 2_000);
    const other = await endpointWithDeliveries(db, "keep", 3);
    const scope = tenantScope(db, endpoint.tenantId);
    await db.pool.query(
      `INSERT INTO attempts (id, delivery_id, delivery_created_at, attempt_number, started_at, duration_ms, status_code)
       SELECT 'atm_' || id, id, created_at, 1, now(), 5, 500 FROM deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );

    expect(await scope.endpoints.delete(endpoint.id)).toBe(true);
    // Gone for every lookup...
    expect(await scope.endpoints.find(endpoint.id)).toBeNull();
    expect((await scope.endpoints.list({ limit: 10 })).items).toEqual([]);
    expect(await scope.deliveries.find(deliveryIds[0]!)).toBeNull();
    expect((await scope.deliveries.list({ limit: 10 })).items).toEqual([]);
    expect(await scope.endpoints.delete(endpoint.id)).toBe(false);
    expect(await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["mark.x"] })).toBe("endpoint_not_found");
    // ...and no publish routes to it: its subscriptions went in the same transaction.
    expect(await count(db, "SELECT count(*) AS n FROM subscriptions WHERE endpoint_id = $1", [endpoint.id])).toBe(0);
    const published = await scope.events.publishBatch([{ eventType: "mark.x", data: {} }], { idempotencyWindowMs: 1000 });
    expect(published[0]).toMatchObject({ outcome: "published", deliveries: [] });
    // ...while its rows are still there, for the workers.
    expect(await count(db, "SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1", [endpoint.id])).toBe(2_000);

    expect(await purgeDeletedEndpoints(db, { limit: 10, batchSize: 300 })).toBe(1);
    expect(await count(db, "SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1", [endpoint.id])).toBe(0);
    expect(await count(db, "SELECT count(*) AS n FROM attempts")).toBe(0);
    expect(await count(db, "SELECT count(*) AS n FROM endpoints WHERE id = $1", [endpoint.id])).toBe(0);
    // Another tenant's endpoint was not touched.
    expect(await count(db, "SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1", [other.endpoint.id])).toBe(3);
    expect(await purgeDeletedEndpoints(db, { limit: 10 })).toBe(0);
  });
});
