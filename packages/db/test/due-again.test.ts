import { createTenant, tenantScope } from "../src/index.js";
import { recoverFailedDeliveries, releaseHeldDeliveries } from "../src/events/due-again.js";
import { useTestDatabase } from "@hookline/testing";

describe("making an endpoint's deliveries due again", () => {
  const database = useTestDatabase();

  it("changes the status at once and releases the held deliveries a batch at a time, in publish order", async () => {
    const { tenant } = await createTenant(database.db, { name: "resume" });
    const scope = tenantScope(database.db, tenant.id);
    const endpoint = await scope.endpoints.create({
      name: "e",
      url: "https://resume.example.com/",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      headers: {},
      timeoutSeconds: 5,
    });
    await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["resume.x"] });
    await scope.endpoints.update(endpoint.id, { status: "PAUSED" });
    const published = await scope.events.publishBatch(
      Array.from({ length: 25 }, (_, i) => ({ eventType: "resume.x", data: { i } })),
      { idempotencyWindowMs: 1000 },
    );
    const heldIds = published.flatMap((p) => (p.outcome === "published" ? p.deliveries.map((d) => d.id) : []));
    const held = async () =>
      Number(
        (
          await database.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM deliveries WHERE endpoint_id = $1 AND status = 'held'", [
            endpoint.id,
          ])
        ).rows[0]?.n,
      );
    expect(await held()).toBe(25);

    // Paused again before the release: nothing is released.
    await scope.endpoints.update(endpoint.id, { status: "ACTIVE" });
    await scope.endpoints.update(endpoint.id, { status: "PAUSED" });
    expect(
      await releaseHeldDeliveries(database.db.prisma, { tenantId: tenant.id, endpointId: endpoint.id }, async () => undefined, 10),
    ).toBe(0);
    expect(await held()).toBe(25);

    // The status change is its own short transaction; the release comes after it.
    const updated = await scope.endpoints.update(endpoint.id, { status: "ACTIVE" });
    expect(updated).toMatchObject({ resumed: true, endpoint: { status: "ACTIVE" } });
    expect(await held()).toBe(25);

    const batches: string[][] = [];
    const released = await releaseHeldDeliveries(
      database.db.prisma,
      { tenantId: tenant.id, endpointId: endpoint.id },
      async (ids) => {
        // Each batch is committed before it is handed over (to be enqueued).
        const { rows } = await database.db.pool.query<{ status: string }>("SELECT DISTINCT status FROM deliveries WHERE id = ANY($1)", [
          ids,
        ]);
        expect(rows).toEqual([{ status: "pending" }]);
        batches.push(ids);
      },
      10,
    );
    expect(released).toBe(25);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(heldIds);
    expect(await held()).toBe(0);
    // Resuming an active endpoint again releases nothing.
    expect(await scope.endpoints.update(endpoint.id, { status: "ACTIVE" })).toMatchObject({ resumed: false });
  });

  it("recovers failed deliveries a batch at a time, in publish order, only the tenant's and only since the date", async () => {
    const { tenant } = await createTenant(database.db, { name: "recover" });
    const scope = tenantScope(database.db, tenant.id);
    const endpoint = await scope.endpoints.create({
      name: "e",
      url: "https://recover.example.com/",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      headers: {},
      timeoutSeconds: 5,
    });
    await scope.subscriptions.create({ endpointId: endpoint.id, eventTypes: ["recover.x"] });
    const published = await scope.events.publishBatch(
      Array.from({ length: 25 }, (_, i) => ({ eventType: "recover.x", data: { i } })),
      { idempotencyWindowMs: 1000 },
    );
    const ids = published.flatMap((p) => (p.outcome === "published" ? p.deliveries.map((d) => d.id) : []));
    await database.db.pool.query("UPDATE deliveries SET status = 'failed', completed_at = now() WHERE id = ANY($1)", [ids]);
    const none = async () => undefined;

    const since = new Date(Date.now() - 60_000);
    expect(
      await recoverFailedDeliveries(database.db.prisma, { tenantId: "ten_someone_else", endpointId: endpoint.id, since }, none, 10),
    ).toBe(0);
    expect(
      await recoverFailedDeliveries(
        database.db.prisma,
        { tenantId: tenant.id, endpointId: endpoint.id, since: new Date(Date.now() + 60_000) },
        none,
        10,
      ),
    ).toBe(0);

    const batches: string[][] = [];
    const recovered = await recoverFailedDeliveries(
      database.db.prisma,
      { tenantId: tenant.id, endpointId: endpoint.id, since },
      async (batch) => {
        batches.push(batch);
      },
      10,
    );
    expect(recovered).toBe(25);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(ids);
    const { rows } = await database.db.pool.query("SELECT DISTINCT status, completed_at FROM deliveries WHERE id = ANY($1)", [ids]);
    expect(rows).toEqual([{ status: "pending", completed_at: null }]);
  });
});
