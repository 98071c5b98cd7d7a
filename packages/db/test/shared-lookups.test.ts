import { useTestDatabase } from "@hookline/testing";
import { createTenant, findApiKeyForAuth, tenantScope } from "../src/index.js";

/** The per-request lookups (API key, registry) share statements when they arrive together. */
describe("lookups shared by requests that arrive together", () => {
  const database = useTestDatabase();
  const statements: string[] = [];
  beforeAll(() => {
    const db = database.db;
    // Counts the statements sent, to prove that concurrent lookups shared them.
    const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown;
    (db.pool as { query: unknown }).query = (...args: unknown[]) => {
      const config = args[0] as { name?: string };
      if (config.name) statements.push(config.name);
      return query(...args);
    };
  });
  beforeEach(() => statements.splice(0));

  it("answers each key lookup with its own key, unknown ones with null, in one statement", async () => {
    const first = await createTenant(database.db, { name: "one" });
    const second = await createTenant(database.db, { name: "two" });
    const ids = [first.tenant.id, second.tenant.id];
    const keyIds = await Promise.all(
      ids.map(async (id) => (await database.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: id } })).id),
    );
    statements.splice(0);

    const found = await Promise.all([keyIds[0]!, keyIds[1]!, "key_unknown", keyIds[0]!].map((id) => findApiKeyForAuth(database.db, id)));

    expect(found.map((key) => key?.tenantId ?? null)).toEqual([ids[0], ids[1], null, ids[0]]);
    expect(statements).toEqual(["auth-keys"]);
  });

  it("sees a revocation committed before the lookup was asked", async () => {
    const { tenant } = await createTenant(database.db, { name: "revoked" });
    const scope = tenantScope(database.db, tenant.id);
    const { record } = await scope.apiKeys.create({});
    expect((await findApiKeyForAuth(database.db, record.id))?.revokedAt).toBeNull();
    // A lookup in flight while the revocation commits must not answer the one asked after it.
    const during = findApiKeyForAuth(database.db, record.id);
    await scope.apiKeys.revoke(record.id);
    const after = await findApiKeyForAuth(database.db, record.id);
    await during;
    expect(after?.revokedAt).toBeInstanceOf(Date);
  });

  it("gives each publish its own tenant's strict mode and registered types, in one statement", async () => {
    const strict = await createTenant(database.db, { name: "strict" });
    const loose = await createTenant(database.db, { name: "loose" });
    const strictScope = tenantScope(database.db, strict.tenant.id);
    const looseScope = tenantScope(database.db, loose.tenant.id);
    await strictScope.settings.update({ strictEventTypes: true });
    await strictScope.eventTypes.create("order.paid", { deprecated: true });
    await looseScope.eventTypes.create("order.sent", { schema: { type: "object" } });
    statements.splice(0);

    const [a, b, c] = await Promise.all([
      strictScope.eventTypes.forPublish(["order.paid", "order.sent"]),
      looseScope.eventTypes.forPublish(["order.paid", "order.sent"]),
      tenantScope(database.db, "ten_gone").eventTypes.forPublish(["order.paid"]),
    ]);

    expect(a.strict).toBe(true);
    expect([...a.types.keys()]).toEqual(["order.paid"]);
    expect(a.types.get("order.paid")?.deprecated).toBe(true);
    expect(b.strict).toBe(false);
    expect([...b.types.keys()]).toEqual(["order.sent"]);
    expect(b.types.get("order.sent")?.schema).toEqual({ type: "object" });
    expect(c).toEqual({ strict: false, types: new Map() });
    expect(statements).toEqual(["publish-registries"]);
  });
});
