import { useTestDatabase } from "@hookline/testing";
import { createTenant, tenantScope } from "../src/index.js";
import { deleteCustomerData } from "../src/integrations/customer-deletion.js";

describe("deleting a customer", () => {
  const database = useTestDatabase();

  it("deletes its endpoints and its events a batch at a time, and nothing of another customer or of none", async () => {
    const { db } = database;
    const { tenant } = await createTenant(db, { name: "c" });
    const scope = tenantScope(db, tenant.id);
    const mine = await scope.customers.create({ name: "mine", externalId: null });
    const theirs = await scope.customers.create({ name: "theirs", externalId: null });
    if (typeof mine === "string" || typeof theirs === "string") throw new Error("customers not created");
    const endpoint = async (customerId: string | null) => {
      const created = await scope.endpoints.create({
        name: "e",
        url: "https://e.com/",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        headers: {},
        timeoutSeconds: 5,
        customerId,
        subscriptions: [["c.x"]],
      });
      if (typeof created === "string") throw new Error(created);
      return created.id;
    };
    const [a1, a2, b, none] = [await endpoint(mine.id), await endpoint(mine.id), await endpoint(theirs.id), await endpoint(null)];
    const publish = (customerId: string | null, count: number) =>
      scope.events.publishBatch(
        Array.from({ length: count }, (_, i) => ({ eventType: "c.x", data: { i }, customerId })),
        { idempotencyWindowMs: 1000 },
      );
    const forMine = await publish(mine.id, 7);
    await publish(theirs.id, 2);
    await publish(null, 3);
    // Each event for mine reached both of its endpoints and nothing else.
    expect(forMine.map((r) => (r.outcome === "published" ? r.deliveries.map((d) => d.endpointId).sort() : []))).toEqual(
      Array.from({ length: 7 }, () => [a1, a2].sort()),
    );

    // Batches of 3: the 7 deliveries of each endpoint, then the 7 events, three statements each.
    await deleteCustomerData(db.prisma, tenant.id, mine.id, 3);

    const { prisma } = db;
    expect(await prisma.customer.findUnique({ where: { id: mine.id } })).toBeNull();
    expect(await prisma.endpoint.findMany({ where: { tenantId: tenant.id }, select: { id: true }, orderBy: { id: "asc" } })).toEqual(
      [b, none].sort().map((id) => ({ id })),
    );
    expect(await prisma.event.count({ where: { tenantId: tenant.id, customerId: mine.id } })).toBe(0);
    expect(await prisma.event.count({ where: { tenantId: tenant.id } })).toBe(5);
    expect(await prisma.delivery.count({ where: { tenantId: tenant.id } })).toBe(5);
    expect(await prisma.subscription.count({ where: { tenantId: tenant.id } })).toBe(2);
  });
});
