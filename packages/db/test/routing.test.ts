import { TEST_ENCRYPTION_KEY, useTestDatabase } from "@hookline/testing";
import { connectDatabase, createTenant, tenantScope, type Database } from "../src/index.js";

/**
 * Publishers route by a copy of the tenant's routing held in memory. Another process (here,
 * another pool with its own copy) changing endpoints or subscriptions must be seen by the very
 * next publish, and nothing may be stored by a stale copy.
 */
const database = useTestDatabase();
let other: Database;
const statements: string[] = [];
beforeAll(() => {
  other = connectDatabase({ url: database.url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"), poolMax: 2 });
  const query = database.db.pool.query.bind(database.db.pool) as (...args: unknown[]) => unknown;
  (database.db.pool as { query: unknown }).query = (...args: unknown[]) => {
    const config = args[0] as { name?: string };
    if (config.name) statements.push(config.name);
    return query(...args);
  };
});
afterAll(() => other.close());

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async function tenantWithEndpoint(name: string, eventTypes: string[]) {
  const { tenant } = await createTenant(database.db, { name });
  // Endpoints and subscriptions are made through the other process.
  const elsewhere = tenantScope(other, tenant.id);
  const endpoint = await elsewhere.endpoints.create({ name: "e", url: `https://${name}.example/`, secret, headers: {}, timeoutSeconds: 5 });
  if (eventTypes.length > 0) await elsewhere.subscriptions.create({ endpointId: endpoint.id, eventTypes });
  return { tenantId: tenant.id, endpointId: endpoint.id, here: tenantScope(database.db, tenant.id), elsewhere };
}

async function publish(scope: ReturnType<typeof tenantScope>, eventType: string) {
  const [result] = await scope.events.publishBatch([{ eventType, data: {} }], { idempotencyWindowMs: 1000 });
  if (result?.outcome !== "published") throw new Error("not published");
  return result.deliveries;
}

const version = async (tenantId: string) =>
  (await database.db.pool.query<{ version: string }>("SELECT version::text FROM tenant_routing WHERE tenant_id = $1", [tenantId])).rows[0]
    ?.version ?? "0";

it("reads a tenant's routing once while nothing changes, and routes by it", async () => {
  const t = await tenantWithEndpoint("steady", ["order.*"]);
  statements.splice(0);
  for (let i = 0; i < 3; i++) expect((await publish(t.here, "order.created")).map((d) => d.endpointId)).toEqual([t.endpointId]);
  expect(statements.filter((name) => name === "routing-load")).toHaveLength(1);
  expect(await publish(t.here, "invoice.paid")).toEqual([]);
});

it("routes the next publish by a subscription made in another process", async () => {
  const t = await tenantWithEndpoint("subscribed-later", []);
  expect(await publish(t.here, "order.created")).toEqual([]); // the routing is now held, with no subscription
  await t.elsewhere.subscriptions.create({ endpointId: t.endpointId, eventTypes: ["order.created"] });
  statements.splice(0);
  expect((await publish(t.here, "order.created")).map((d) => d.endpointId)).toEqual([t.endpointId]);
  // The store refused the stale routing (writing nothing), the routing was read again, the store ran again.
  expect(statements).toEqual(["publish-store", "routing-load", "publish-store"]);
  const events = await database.db.pool.query("SELECT id FROM events WHERE tenant_id = $1", [t.tenantId]);
  expect(events.rowCount).toBe(2);
});

it("holds the next event for an endpoint paused in another process, and delivers again once resumed", async () => {
  const t = await tenantWithEndpoint("paused-elsewhere", ["order.created"]);
  expect((await publish(t.here, "order.created")).map((d) => d.status)).toEqual(["pending"]);
  await other.pool.query("UPDATE endpoints SET status = 'PAUSED' WHERE id = $1", [t.endpointId]);
  expect((await publish(t.here, "order.created")).map((d) => d.status)).toEqual(["held"]);
  await other.pool.query("UPDATE endpoints SET status = 'ACTIVE' WHERE id = $1", [t.endpointId]);
  expect((await publish(t.here, "order.created")).map((d) => d.status)).toEqual(["pending"]);
});

it("sends nothing to an endpoint deleted, or unsubscribed, in another process", async () => {
  const t = await tenantWithEndpoint("deleted-elsewhere", ["order.created"]);
  expect(await publish(t.here, "order.created")).toHaveLength(1);
  await other.pool.query("UPDATE subscriptions SET event_types = ARRAY['order.paid'] WHERE endpoint_id = $1", [t.endpointId]);
  expect(await publish(t.here, "order.created")).toEqual([]);
  expect(await publish(t.here, "order.paid")).toHaveLength(1);
  await other.pool.query("DELETE FROM endpoints WHERE id = $1", [t.endpointId]);
  expect(await publish(t.here, "order.paid")).toEqual([]);
});

it("changes the version only for what routing reads", async () => {
  const t = await tenantWithEndpoint("versioned", ["order.created"]);
  const before = await version(t.tenantId);
  await other.pool.query("UPDATE endpoints SET name = 'renamed', url = 'https://versioned.example/v2' WHERE id = $1", [t.endpointId]);
  expect(await version(t.tenantId)).toBe(before);
  await other.pool.query("UPDATE endpoints SET ignore_for_api = true WHERE id = $1", [t.endpointId]);
  expect(BigInt(await version(t.tenantId))).toBeGreaterThan(BigInt(before));
  // That endpoint now ignores what the API publishes.
  expect(await publish(t.here, "order.created")).toEqual([]);
});

it("leaves no routing row behind a deleted tenant", async () => {
  const t = await tenantWithEndpoint("gone", ["order.created"]);
  expect(await version(t.tenantId)).not.toBe("0");
  await database.db.pool.query("DELETE FROM tenants WHERE id = $1", [t.tenantId]);
  const left = await database.db.pool.query("SELECT 1 FROM tenant_routing WHERE tenant_id = $1", [t.tenantId]);
  expect(left.rowCount).toBe(0);
});
