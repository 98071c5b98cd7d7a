import pg from "pg";
import { tenantScope } from "../src/index.js";
import { deleteEndpoint } from "../src/endpoints/endpoint-deletion.js";
import { endpointWithDeliveries } from "./fixtures.js";
import { useTestDatabase } from "@hookline/testing";

describe("deleting an endpoint while a worker records an attempt", () => {
  const database = useTestDatabase();

  /** Until the deletion is waiting for a delivery row the worker holds. */
  async function untilDeletionWaits(): Promise<void> {
    for (;;) {
      // From outside the worker's transaction, whose view of pg_stat_activity is a snapshot.
      const { rows } = await database.db.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM deliveries%FOR UPDATE%'`,
      );
      if (rows[0]?.n !== "0") return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

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
      // The background half of a deletion, after the endpoint was marked.
      expect(await scope.endpoints.delete(endpoint.id)).toBe(true);
      const deleted = deleteEndpoint(database.db.prisma, { id: endpoint.id, tenantId: endpoint.tenantId });
      await untilDeletionWaits();
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

  it("deletes a large endpoint's deliveries a batch at a time, each batch committed on its own", async () => {
    const { endpoint, deliveryIds } = await endpointWithDeliveries(database.db, "big", 25);
    await database.db.pool.query(
      `INSERT INTO attempts (id, delivery_id, delivery_created_at, attempt_number, started_at, duration_ms, status_code)
       SELECT 'atm_' || id, id, created_at, 1, now(), 5, 500 FROM deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    const remaining = async () =>
      Number(
        (await database.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1", [endpoint.id])).rows[0]
          ?.n,
      );

    // A worker holds the last delivery published, which the third batch of ten reaches.
    const worker = new pg.Client({ connectionString: database.url });
    await worker.connect();
    try {
      await worker.query("BEGIN");
      await worker.query("UPDATE deliveries SET updated_at = now() WHERE id = $1", [deliveryIds.at(-1)]);
      const deleted = deleteEndpoint(database.db.prisma, { id: endpoint.id, tenantId: endpoint.tenantId }, 10);
      await untilDeletionWaits();
      // The first two batches are gone for everyone while the third waits: not one transaction.
      expect(await remaining()).toBe(5);
      await worker.query("COMMIT");
      expect(await deleted).toBe(true);
    } finally {
      await worker.end();
    }
    expect(await remaining()).toBe(0);
    const left = await database.db.pool.query(
      `SELECT (SELECT count(*) FROM attempts WHERE delivery_id = ANY($1)) AS attempts,
              (SELECT count(*) FROM endpoints WHERE id = $2) AS endpoints`,
      [deliveryIds, endpoint.id],
    );
    expect(left.rows[0]).toEqual({ attempts: "0", endpoints: "0" });
  });

  it("touches nothing when the endpoint is another tenant's, or of another API's flavour", async () => {
    const { endpoint, deliveryIds } = await endpointWithDeliveries(database.db, "kept", 3);
    const other = await endpointWithDeliveries(database.db, "other", 0);
    expect(await tenantScope(database.db, other.endpoint.tenantId).endpoints.delete(endpoint.id)).toBe(false);
    // A standard endpoint is not a Monite webhook setting nor a Momentus webhook.
    const own = tenantScope(database.db, endpoint.tenantId);
    expect(await own.endpoints.delete(endpoint.id, { flavour: "monite" })).toBe(false);
    expect(await own.endpoints.delete(endpoint.id, { flavour: "momentus" })).toBe(false);
    const { rows } = await database.db.pool.query("SELECT count(*) AS n FROM deliveries WHERE id = ANY($1)", [deliveryIds]);
    expect(rows[0]).toEqual({ n: "3" });
    expect(await own.endpoints.delete(endpoint.id)).toBe(true);
  });
});
