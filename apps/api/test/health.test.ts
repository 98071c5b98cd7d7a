import { jsonClient } from "@hookline/testing";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe("health", () => {
  it("answers 200 on /healthz without authentication", async () => {
    const response = await jsonClient(h.api.url)("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("answers an unknown route with 404 in the error format", async () => {
    const response = await h.request("GET", "/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "not_found", details: [] } });
  });
});
