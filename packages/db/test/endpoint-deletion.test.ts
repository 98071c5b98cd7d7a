import pg from "pg";
import { tenantScope } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";
import { useTestDatabase } from "@hookline/testing";

describe("deleting an endpoint while a worker records an attempt", () => {
  const database = useTestDatabase();

  it("survives being chosen as a deadlock's victim", async () => {
    const { endpoint, deliveryIds } = await endpointWithDeliveries(database.db, "d", 1);
    const deliveryId = deliveryIds[0]!;
    const scope = tenantScope(database.db, endpoint.tenantId);

    // The worker's order: the delivery row, then the endpoint row (recordAttempt at the edge of a
    // run of failures). It never looks for deadlocks itself, so the deletion is the victim.
    const worker = new pg.Client({ connectionString: database.url });
    await worker.connect();
    try {
      await worker.query("SET deadlock_timeout = '30s'");
      await worker.query("BEGIN");
      await worker.query("UPDATE deliveries SET updated_at = now() WHERE id = $1", [deliveryId]);
      // The deletion locks the endpoint, then waits for the delivery row the worker holds.
      const deleted = scope.endpoints.delete(endpoint.id);
      for (;;) {
        // From outside the worker's transaction, whose view of pg_stat_activity is a snapshot.
        const { rows } = await database.db.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM%endpoints%'`,
        );
        if (rows[0]?.n !== "0") break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Now the worker wants the endpoint row: a cycle. After deadlock_timeout (1 s) Postgres
      // aborts the deletion, the worker's update goes through, and the deletion runs again.
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
