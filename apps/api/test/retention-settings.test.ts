import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RETENTION_DAYS: "45" });
});
afterAll(() => h.close());

describe("retention_days in /v1/settings", () => {
  it("follows the installation's default until the tenant sets its own, and null returns to it", async () => {
    const t = await h.newTenant();
    expect((await t.request("GET", "/v1/settings")).body).toMatchObject({ retention_days: 45, retention_days_default: true });

    const set = await t.request("PATCH", "/v1/settings", { body: { retention_days: 7 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ retention_days: 7, retention_days_default: false, strict_event_types: false });
    expect((await t.request("GET", "/v1/settings")).body).toMatchObject({ retention_days: 7 });
    // Another tenant is not touched.
    expect((await (await h.newTenant()).request("GET", "/v1/settings")).body).toMatchObject({ retention_days: 45 });

    const reset = await t.request("PATCH", "/v1/settings", { body: { retention_days: null } });
    expect(reset.body).toMatchObject({ retention_days: 45, retention_days_default: true });
  });

  it.each([0, -1, 3651, 1.5, "30"])("refuses %p with a 400 and changes nothing", async (value) => {
    const t = await h.newTenant();
    await t.request("PATCH", "/v1/settings", { body: { retention_days: 12 } });
    const refused = await t.request("PATCH", "/v1/settings", { body: { retention_days: value } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { details: [{ field: "retention_days" }] } });
    expect((await t.request("GET", "/v1/settings")).body).toMatchObject({ retention_days: 12 });
  });
});
