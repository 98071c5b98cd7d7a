// `npm run screenshots`: the dashboard and the portal with a little data in them, drawn by Debian's
// Chromium into docs/screenshots/ for the README. It starts its own API and worker on a database
// of its own (as a test file does), so it needs only Postgres and Redis running.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareTestTemplate } from "@hookline/testing";
import { launchBrowser, newPage } from "../src/browser.js";
import { eventually, receiverPool, startEngine } from "../src/engine.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/screenshots");
mkdirSync(out, { recursive: true });
await prepareTestTemplate();
const engine = await startEngine();
const receivers = receiverPool();
const browser = await launchBrowser();
const api = engine.request;

try {
  await api("POST", "/v1/event_types", {
    body: {
      name: "invoice.paid",
      description: "An invoice was paid in full",
      schema: {
        type: "object",
        required: ["invoice_id", "amount"],
        properties: { invoice_id: { type: "string" }, amount: { type: "integer" } },
      },
    },
  });
  await api("POST", "/v1/event_types", { body: { name: "invoice.created", description: "A draft invoice was issued" } });
  const customer = await api<{ id: string }>("POST", "/v1/customers", { body: { name: "Globex", external_id: "globex" } });
  let calls = 0;
  const healthy = await receivers.start(() => ({ status: 200, body: '{"ok":true}', headers: { "content-type": "application/json" } }));
  const flaky = await receivers.start(() => ({ status: ++calls % 3 === 0 ? 503 : 200, body: "upstream busy" }));
  const endpoints = [
    await api<{ id: string }>("POST", "/v1/endpoints", { body: { name: "billing-service", url: healthy.url } }),
    await api<{ id: string }>("POST", "/v1/endpoints", { body: { name: "globex-erp", url: flaky.url, customer_id: customer.body.id } }),
  ];
  for (const endpoint of endpoints) {
    await api("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["invoice.*"] } });
  }
  for (let i = 0; i < 24; i++) {
    const type = i % 3 === 0 ? "invoice.created" : "invoice.paid";
    await api("POST", "/v1/events", { body: { event_type: type, data: { invoice_id: `inv_${1000 + i}`, amount: 1200 + i * 35 } } });
    await api("POST", "/v1/events", {
      body: { event_type: type, data: { invoice_id: `inv_${2000 + i}`, amount: 900 + i * 20 }, customer_id: customer.body.id },
    });
  }
  await eventually(async () => {
    const stats = await api<{ deliveries_per_minute: { attempts: number }[] }>("GET", "/v1/stats?window_minutes=30");
    return stats.body.deliveries_per_minute.reduce((n, b) => n + b.attempts, 0) >= 48 ? true : undefined;
  }, 30_000);

  const { page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${engine.api.url}/dashboard`);
  await page.getByLabel("API key or admin token").fill(engine.apiKey);
  await page.screenshot({ path: join(out, "sign-in.png") });
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("success-rate").waitFor();
  await page.screenshot({ path: join(out, "overview.png") });
  await page.getByRole("link", { name: "Endpoints" }).click();
  await page.locator("table.endpoints").waitFor();
  await page.screenshot({ path: join(out, "endpoints.png") });
  await page.getByRole("link", { name: "globex-erp" }).click();
  await page.locator("table.deliveries").waitFor();
  await page.screenshot({ path: join(out, "endpoint.png") });
  await page.locator("table.deliveries a").first().click();
  await page.locator("details.attempt").first().waitFor();
  await page.screenshot({ path: join(out, "delivery.png") });
  await page.getByRole("link", { name: "Events" }).click();
  await page.locator("table.events").waitFor();
  await page.screenshot({ path: join(out, "events.png") });

  await api("PATCH", "/v1/settings", { body: { portal: { name: "Acme Billing", accent_color: "#0f766e" } } });
  const link = await api<{ url: string }>("POST", `/v1/customers/${customer.body.id}/portal`, { body: {} });
  const portal = await newPage(browser, { viewport: { width: 1100, height: 700 } });
  await portal.page.goto(link.body.url);
  await portal.page.locator("table.endpoints").waitFor();
  await portal.page.screenshot({ path: join(out, "portal.png") });
  process.stdout.write(`screenshots written to ${out}\n`);
} finally {
  await browser.close();
  await receivers.closeAll();
  await engine.close();
}
