import { startHarness, type Harness } from "@hookline/api/harness";
import { Hookline, type FetchFn } from "../src/index.js";
import { failure } from "./support.js";

/** The API's own 429: one request per second per tenant here, so the second of two is refused. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_SECOND: "1" });
});
afterAll(() => h.close());

/** A fetch that records each status the API answered with (the SDK's `fetch` option). */
function recording(statuses: number[]): FetchFn {
  return async (request) => {
    const response = await fetch(request);
    statuses.push(response.status);
    return response;
  };
}

describe("the API's rate limit", () => {
  it("waits the Retry-After of a 429 and tries again", async () => {
    // A tenant of its own, and two requests at once: one opens its one-second window, the other is
    // refused, waits and is answered. (One after the other, a busy host let the window pass between them.)
    const tenant = await h.newTenant("patient");
    const statuses: number[] = [];
    const hookline = new Hookline({ apiKey: tenant.apiKey, baseUrl: h.api.url, fetch: recording(statuses) });
    const started = Date.now();
    await Promise.all([hookline.endpoints.list().page(), hookline.endpoints.list().page()]);
    expect([...statuses].sort()).toEqual([200, 200, 429]);
    expect(statuses.indexOf(429)).toBeLessThan(statuses.lastIndexOf(200));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("surfaces the 429 as a HooklineError when retries are off", async () => {
    const tenant = await h.newTenant("impatient");
    const hookline = new Hookline({ apiKey: tenant.apiKey, baseUrl: h.api.url, maxRetries: 0 });
    await hookline.endpoints.list().page();
    const error = await failure(hookline.endpoints.list().page());
    expect(error).toMatchObject({ status: 429, code: "rate_limited", requestId: expect.stringMatching(/^req_/) });
  });
});
