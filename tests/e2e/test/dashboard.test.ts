import type { Browser, Page } from "playwright-core";
import { BROWSER_TEST_MS, launchBrowser, newPage, signInToDashboard } from "../src/browser.js";
import { eventually, publish, receiverPool, startEngine, type Engine } from "../src/engine.js";

/** The dashboard in Debian's Chromium against a real API, worker, Postgres and Redis. */
let engine: Engine;
let browser: Browser;
const receivers = receiverPool();
beforeAll(async () => {
  [engine, browser] = await Promise.all([startEngine(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await receivers.closeAll();
  await engine?.close();
});

async function signedIn(apiKey = engine.apiKey): Promise<{ page: Page; errors: string[] }> {
  const { page, problems } = await newPage(browser);
  await signInToDashboard(page, engine.api.url, apiKey);
  return { page, errors: problems.errors };
}

/** Errors other than the 4xx answers a page shows on purpose (the browser logs each as an error). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 4\d\d/.test(e));

describe("the dashboard", () => {
  it(
    "refuses a wrong key, then signs in with a cookie that has its flags, and signs out",
    async () => {
      const { page, problems } = await newPage(browser);
      await page.goto(`${engine.api.url}/dashboard/endpoints`);
      await page.getByLabel("API key or admin token").fill("key_0000.wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("not valid");

      await page.getByLabel("API key or admin token").fill(engine.apiKey);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Endpoints" }).waitFor();
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ name: "hookline_session", httpOnly: true, sameSite: "Strict" });
      expect(cookie!.value).not.toContain(engine.apiKey);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("API key or admin token").waitFor();
      // The cookie is gone and the session too: a copy of it no longer works.
      const stale = await fetch(`${engine.api.url}/v1/endpoints`, { headers: { cookie: `hookline_session=${cookie!.value}` } });
      expect(stale.status).toBe(401);
      expect(unexpected(problems.errors)).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "creates an endpoint, pauses and resumes it, and shows a delivery's attempt as it happens",
    async () => {
      const receiver = await receivers.start(() => ({ status: 200, body: '{"received":true}' }));
      const { page, errors } = await signedIn();
      await page.getByRole("link", { name: "Endpoints" }).click();
      await page.getByRole("button", { name: "New endpoint" }).click();
      await page.getByLabel("Name").fill("orders");
      await page.getByLabel("URL").fill(receiver.url);
      await page.getByLabel(/Other types or patterns/).fill("order.created");
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await page.getByRole("heading", { name: /orders/ }).waitFor();
      expect(await page.getByRole("heading", { name: /orders/ }).textContent()).toContain("active");
      expect(await page.locator(".tags").textContent()).toContain("order.created");

      await page.getByRole("button", { name: "Pause" }).click();
      await page.getByRole("button", { name: "Resume" }).waitFor();
      expect(await page.getByRole("heading", { name: /orders/ }).textContent()).toContain("paused");
      await page.getByRole("button", { name: "Resume" }).click();
      await page.getByRole("button", { name: "Pause" }).waitFor();

      const event = await publish(engine.request, "order.created", { id: 42 });
      // The first page polls: the delivery shows up and settles without a reload.
      const row = page.locator("table.deliveries tbody tr").first();
      await row.getByText("succeeded").waitFor({ timeout: 15_000 });
      await row.getByRole("link").click();
      await page.getByRole("heading", { name: /Delivery/ }).waitFor();
      expect(await page.locator(".facts").textContent()).toContain(event.id);
      const attempt = page.locator("details.attempt").first();
      expect(await attempt.locator("summary").textContent()).toContain("200");
      expect(await attempt.textContent()).toContain('"received": true');
      expect(unexpected(errors)).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "retries a failed delivery and recovers failed ones since a time",
    async () => {
      let healthy = false;
      const receiver = await receivers.start(() => ({ status: healthy ? 200 : 500 }));
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "flaky", url: receiver.url } });
      await engine.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["invoice.paid"] } });
      const first = await publish(engine.request, "invoice.paid", { n: 1 });
      const second = await publish(engine.request, "invoice.paid", { n: 2 });
      const failed = async () => {
        const list = await engine.request<{ status: string; event_id: string; id: string }[]>(
          "GET",
          `/v1/endpoints/${endpoint.body.id}/deliveries?status=failed`,
        );
        return list.body.length === 2 ? list.body : undefined;
      };
      const deliveries = await eventually(failed, 15_000, "both deliveries failed");
      healthy = true;

      const { page, errors } = await signedIn();
      const retried = deliveries.find((d) => d.event_id === first.id)!;
      await page.goto(`${engine.api.url}/dashboard/deliveries/${retried.id}`);
      await page.getByRole("button", { name: "Retry" }).click();
      await page
        .getByRole("heading", { name: /Delivery/ })
        .getByText("succeeded")
        .waitFor({ timeout: 15_000 });

      await page.goto(`${engine.api.url}/dashboard/endpoints/${endpoint.body.id}?status=failed`);
      await page.locator("table.deliveries").waitFor();
      expect(await page.locator("table.deliveries tbody tr").count()).toBe(1);
      await page.getByRole("button", { name: "Recover" }).click();
      await page.getByRole("status").waitFor();
      expect(await page.getByRole("status").textContent()).toContain("1 failed delivery sent again");
      await eventually(async () => {
        const d = await engine.request<{ status: string }>("GET", `/v1/deliveries/${deliveries.find((x) => x.event_id === second.id)!.id}`);
        return d.body.status === "succeeded" ? true : undefined;
      });
      expect(unexpected(errors)).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "reveals and rotates an endpoint's secret",
    async () => {
      const receiver = await receivers.start();
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "secretive", url: receiver.url } });
      const before = await engine.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`);
      const { page } = await signedIn();
      await page.goto(`${engine.api.url}/dashboard/endpoints/${endpoint.body.id}`);
      await page.getByRole("button", { name: "Reveal" }).click();
      expect(await page.getByTestId("secret").textContent()).toBe(before.body.secret);
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("button", { name: "Rotate" }).click();
      await page.waitForFunction((old) => document.querySelector("[data-testid=secret]")?.textContent !== old, before.body.secret);
      const after = await engine.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`);
      expect(after.body.secret).not.toBe(before.body.secret);
      expect(await page.getByTestId("secret").textContent()).toBe(after.body.secret);
    },
    BROWSER_TEST_MS,
  );

  it(
    "searches events by type and time, with the filters in a shareable URL, and opens one with its deliveries",
    async () => {
      const receiver = await receivers.start();
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "ledger", url: receiver.url } });
      await engine.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["ledger.*"] } });
      const credited = await publish(engine.request, "ledger.credited", { amount: 5 });
      await publish(engine.request, "audit.logged", { who: "someone" });
      const { page, errors } = await signedIn();
      await page.getByRole("link", { name: "Events" }).click();
      await page.getByLabel(/Type/).fill("ledger.*");
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForURL(/event_type=ledger/);
      await page.locator("table.events").getByText("ledger.credited").waitFor();
      expect(await page.locator("table.events").textContent()).not.toContain("audit.logged");
      // The URL alone reproduces the search.
      const shared = page.url();
      const { page: other } = await signedIn();
      await other.goto(shared);
      await other.locator("table.events").getByText("ledger.credited").waitFor();
      expect(await other.locator("table.events tbody tr").count()).toBe(1);
      // A window that ended before the event finds nothing.
      await other.goto(`${engine.api.url}/dashboard/events?until=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`);
      await other.getByText("No events match.").waitFor();

      await page.locator("table.events a").first().click();
      await page.getByRole("heading", { name: "ledger.credited" }).waitFor();
      expect(await page.locator("pre.json").first().textContent()).toContain('"amount": 5');
      await page.getByRole("link", { name: endpoint.body.id }).waitFor();
      expect(await page.locator(".facts").textContent()).toContain(credited.id);
      expect(unexpected(errors)).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "draws the overview: attempts per minute, the success rate and the endpoints by status",
    async () => {
      const receiver = await receivers.start();
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "charted", url: receiver.url } });
      await engine.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["chart.point"] } });
      await publish(engine.request, "chart.point", {});
      await receiver.waitFor(1);
      const { page, errors } = await signedIn();
      await page.getByTestId("success-rate").waitFor();
      await eventually(async () => ((await page.locator("svg.chart rect.bar-ok").count()) > 0 ? true : undefined));
      expect(await page.getByTestId("success-rate").textContent()).toMatch(/^\d+(\.\d)? %$/);
      expect(unexpected(errors)).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "shows the event-type catalog with each schema and an example drawn from it",
    async () => {
      await engine.request("POST", "/v1/event_types", {
        body: {
          name: "refund.issued",
          description: "Money went back",
          schema: { type: "object", required: ["amount"], properties: { amount: { type: "integer", minimum: 1 } } },
        },
      });
      const { page, errors } = await signedIn();
      await page.getByRole("link", { name: "Event types" }).click();
      await page.getByText("refund.issued").click();
      const details = page.locator("details", { hasText: "refund.issued" });
      await details.getByRole("heading", { name: "Example" }).waitFor();
      expect(await details.locator("pre.json").nth(1).textContent()).toContain('"amount": 1');
      expect(unexpected(errors)).toEqual([]);
    },
    BROWSER_TEST_MS,
  );
});
