import type { Browser } from "playwright-core";
import { launchBrowser, newPage, signInToDashboard } from "../src/browser.js";
import { receiverPool, startEngine, verifyWebhook, type Engine } from "../src/engine.js";

/** The endpoint page's "Send test event" in Debian's Chromium, against a real API, worker and receiver. */
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

/** Errors other than the 4xx answers a page shows on purpose (the browser logs each as an error). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 4\d\d/.test(e));

describe("sending a test event from the dashboard", () => {
  it("sends one to an endpoint that subscribes to nothing, shows its delivery succeed, and the receiver gets it signed", async () => {
    const receiver = await receivers.start(() => ({ status: 200, body: '{"ok":true}' }));
    const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "tested", url: receiver.url } });
    const { secret } = (await engine.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`)).body;

    const { page, problems } = await newPage(browser);
    await signInToDashboard(page, engine.api.url, engine.apiKey);
    await page.goto(`${engine.api.url}/dashboard/endpoints/${endpoint.body.id}`);
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("status").waitFor();
    const status = (await page.getByRole("status").textContent()) ?? "";
    const eventId = /Sent: (evt_\S+)/.exec(status)?.[1];
    expect(eventId).toEqual(expect.stringMatching(/^evt_/));

    // The page's deliveries table polls: the test's delivery appears and settles without a reload.
    const row = page.locator("table.deliveries tbody tr").first();
    await row.getByText("succeeded").waitFor({ timeout: 15_000 });
    expect(await page.locator("table.deliveries tbody tr").count()).toBe(1);

    const [received] = await receiver.waitFor(1);
    const payload = verifyWebhook(secret, received!) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      type: "hookline.test",
      data: { message: "A test event from Hookline", endpoint_id: endpoint.body.id },
    });
    expect(received!.headers["webhook-id"]).toBe(await row.getByRole("link").textContent());
    expect(unexpected(problems.errors)).toEqual([]);
  });
});
