import { useTestDatabase } from "@hookline/testing";
import { purgeDeletedEndpoints, tenantScope } from "../src/index.js";
import { endpointWithDeliveries } from "./fixtures.js";

/**
 * The database itself keeps tenants apart: a row that points at an endpoint or an event names
 * its tenant in the foreign key, so whatever a query forgets, a subscription or a delivery can
 * never reference another tenant's endpoint or event.
 */
const database = useTestDatabase();

/** A tenant with an endpoint and one event delivered to it (from the shared fixture). */
async function tenantWithEndpointAndEvent(name: string) {
  const { endpoint, deliveryIds } = await endpointWithDeliveries(database.db, name, 1);
  const { rows } = await database.db.pool.query<{ event_id: string }>("SELECT event_id FROM deliveries WHERE id = $1", [deliveryIds[0]]);
  return { tenantId: endpoint.tenantId, endpointId: endpoint.id, eventId: rows[0]!.event_id };
}

const foreignKeyViolation = expect.objectContaining({ code: "23503" });

describe("tenant integrity in the schema", () => {
  it("refuses a subscription of one tenant to another tenant's endpoint", async () => {
    const a = await tenantWithEndpointAndEvent("ia");
    const b = await tenantWithEndpointAndEvent("ib");
    await expect(
      database.db.pool.query(
        `INSERT INTO subscriptions (id, tenant_id, endpoint_id, event_types, updated_at) VALUES ('sub_x', $1, $2, '{a.b}', now())`,
        [b.tenantId, a.endpointId],
      ),
    ).rejects.toEqual(foreignKeyViolation);
    // Its own endpoint is fine.
    await database.db.pool.query(
      `INSERT INTO subscriptions (id, tenant_id, endpoint_id, event_types, updated_at) VALUES ('sub_y', $1, $2, '{a.b}', now())`,
      [b.tenantId, b.endpointId],
    );
  });

  it("refuses a delivery that joins another tenant's endpoint or event", async () => {
    const a = await tenantWithEndpointAndEvent("da");
    const b = await tenantWithEndpointAndEvent("db");
    const insert = (id: string, tenantId: string, eventId: string, endpointId: string) =>
      database.db.pool.query(
        `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, updated_at) VALUES ($1, $2, $3, $4, 'pending', now())`,
        [id, tenantId, eventId, endpointId],
      );
    await expect(insert("msg_x1", b.tenantId, b.eventId, a.endpointId)).rejects.toEqual(foreignKeyViolation);
    await expect(insert("msg_x2", b.tenantId, a.eventId, b.endpointId)).rejects.toEqual(foreignKeyViolation);
    await insert("msg_ok", b.tenantId, b.eventId, b.endpointId);
  });

  it("still deletes an endpoint's subscriptions and deliveries with it", async () => {
    const a = await tenantWithEndpointAndEvent("ca");
    await database.db.pool.query(
      `INSERT INTO subscriptions (id, tenant_id, endpoint_id, event_types, updated_at) VALUES ('sub_c', $1, $2, '{a.b}', now())`,
      [a.tenantId, a.endpointId],
    );
    await database.db.pool.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, status, updated_at) VALUES ('msg_c', $1, $2, $3, 'pending', now())`,
      [a.tenantId, a.eventId, a.endpointId],
    );
    expect(await tenantScope(database.db, a.tenantId).endpoints.delete(a.endpointId)).toBe(true);
    // The deliveries go in the background, after the DELETE answered.
    expect(await purgeDeletedEndpoints(database.db, { limit: 10 })).toBe(1);
    const { rows } = await database.db.pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM subscriptions WHERE endpoint_id = $1) + (SELECT count(*) FROM deliveries WHERE endpoint_id = $1) AS n`,
      [a.endpointId],
    );
    expect(rows[0]?.n).toBe("0");
  });
});
