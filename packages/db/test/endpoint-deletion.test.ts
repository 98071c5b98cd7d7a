import pg from "pg";
import { tenantScope } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";
import { useTestDatabase } from "@hookline/testing";

describe("deleting an endpoint while a worker records an attempt", () => {
  const database = useTestDatabase();

  it("takes the deliveries' locks before the endpoint's, as a worker does, so the two cannot deadlock", async () => {
    const { endpoint, deliveryIds } = await endpointWithDeliveries(database.db, "d", 1);
    const deliveryId = deliveryIds[0]!;
    const scope = tenantScope(database.db, endpoint.tenantId);

    // The worker's order: the delivery row, then the endpoint row (recordAttempt at the edge of a
    // run of failures).
    const worker = new pg.Client({ connectionString: database.url });
    await worker.connect();
    try {
      await worker.query("BEGIN");
      await worker.query("UPDATE deliveries SET updated_at = now() WHERE id = $1", [deliveryId]);
      const deleted = scope.endpoints.delete(endpoint.id);
      // Wait until the deletion is waiting for the delivery row the worker holds.
      for (;;) {
        // From outside the worker's transaction, whose view of pg_stat_activity is a snapshot.
        const { rows } = await database.db.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM deliveries%FOR UPDATE%'`,
        );
        if (rows[0]?.n !== "0") break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // While it waits, it holds no lock on the endpoint row (before, it did: the cycle).
      const probe = await database.db.pool.connect();
      try {
        await probe.query("BEGIN");
        await expect(probe.query("SELECT 1 FROM endpoints WHERE id = $1 FOR UPDATE NOWAIT", [endpoint.id])).resolves.toBeDefined();
        await probe.query("ROLLBACK");
      } finally {
        probe.release();
      }
      // So the worker gets the endpoint row, commits, and the deletion goes on.
      await worker.query("UPDATE endpoints SET failing_since = now() WHERE id = $1", [endpoint.id]);
      await worker.query("COMMIT");
      expect(await deleted).toBe(true);
    } finally {
      await worker.end();
    }
    const { rows } = await database.db.pool.query("SELECT 1 FROM deliveries WHERE id = $1", [deliveryId]);
    expect(rows).toHaveLength(0);
  });
});
