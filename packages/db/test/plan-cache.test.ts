import { TEST_ENCRYPTION_KEY, useTestDatabase } from "@hookline/testing";
import { connectDatabase, createTenant, findApiKeyForAuth } from "../src/index.js";

/**
 * The hot path's named statements are planned once per connection. With Postgres's default
 * plan cache mode, a statement whose custom plan is estimated cheaper than the generic one (the
 * key lookup's `id = ANY($1)`, for one) was planned again at every execution.
 */
describe("prepared statements on the pool", () => {
  // One connection, so every lookup runs on the session the view below describes.
  const database = useTestDatabase({ poolMax: 1 });

  it("plan a statement once and reuse that plan at every execution", async () => {
    const { tenant } = await createTenant(database.db, { name: "plans" });
    const key = await database.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id } });
    for (let i = 0; i < 8; i++) expect((await findApiKeyForAuth(database.db, key.id))?.tenantId).toBe(tenant.id);

    const { rows } = await database.db.pool.query<{ generic_plans: string; custom_plans: string }>(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'auth-keys'",
    );
    expect(rows).toEqual([{ generic_plans: "8", custom_plans: "0" }]);
  });

  it("behind a transaction pooler, name no statement and leave the session's settings alone", async () => {
    // Straight to Postgres with one connection, so the session the pooler would lend is the one seen here.
    const pooled = connectDatabase({
      url: database.url,
      encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"),
      poolMax: 1,
      pooler: "transaction",
    });
    try {
      const { tenant } = await createTenant(pooled, { name: "pooled" });
      const key = await pooled.prisma.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id } });
      for (let i = 0; i < 3; i++) expect((await findApiKeyForAuth(pooled, key.id))?.tenantId).toBe(tenant.id);

      const { rows } = await pooled.pool.query<{ named: number; set_by_session: boolean }>(
        `SELECT (SELECT count(*)::int FROM pg_prepared_statements) AS named, source = 'session' AS set_by_session
         FROM pg_settings WHERE name = 'plan_cache_mode'`,
      );
      expect(rows).toEqual([{ named: 0, set_by_session: false }]);
    } finally {
      await pooled.close();
    }
  });
});
