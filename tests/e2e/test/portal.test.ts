import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import type { JsonRequest } from "@hookline/testing";
import { BROWSER_TEST_MS, launchBrowser, newPage } from "../src/browser.js";
import { eventually, receiverPool, startEngine, type Engine } from "../src/engine.js";

/**
 * The customer portal in Chromium: a tenant's two customers, each with its own endpoint and
 * deliveries, and portal links with different capabilities.
 */
let engine: Engine;
let browser: Browser;
const receivers = receiverPool();

interface Customer {
  id: string;
  endpointId: string;
  deliveryId: string;
}
let alice: Customer;
let bob: Customer;
let sharedEndpointId: string;

const asTenant = (): JsonRequest => engine.request;

async function customerWithDelivery(name: string, status: number): Promise<Customer> {
  const customer = await asTenant()<{ id: string }>("POST", "/v1/customers", { body: { name, external_id: name.toLowerCase() } });
  const receiver = await receivers.start(() => ({ status }));
  const endpoint = await asTenant()<{ id: string }>("POST", "/v1/endpoints", {
    body: { name: `${name}'s endpoint`, url: receiver.url, customer_id: customer.body.id },
  });
  await asTenant()("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["order.created"] } });
  await asTenant()("POST", "/v1/events", { body: { event_type: "order.created", data: { for: name }, customer_id: customer.body.id } });
  const [delivery] = await eventually(async () => {
    const list = await asTenant()<{ id: string; status: string }[]>("GET", `/v1/endpoints/${endpoint.body.id}/deliveries`);
    return list.body.length === 1 && ["succeeded", "failed"].includes(list.body[0]!.status) ? list.body : undefined;
  });
  return { id: customer.body.id, endpointId: endpoint.body.id, deliveryId: delivery!.id };
}

async function portalLink(customerId: string, body: Record<string, unknown> = {}) {
  const created = await asTenant()<{ url: string; token: string; expires_at: string; capabilities: string[] }>(
    "POST",
    `/v1/customers/${customerId}/portal`,
    { body },
  );
  expect(created.status).toBe(201);
  return created.body;
}

beforeAll(async () => {
  [engine, browser] = await Promise.all([startEngine(), launchBrowser()]);
  await asTenant()("POST", "/v1/event_types", { body: { name: "order.created", description: "An order was placed" } });
  await asTenant()("POST", "/v1/event_types", { body: { name: "order.shipped", description: "An order left the warehouse" } });
  [alice, bob] = await Promise.all([customerWithDelivery("Alice", 200), customerWithDelivery("Bob", 500)]);
  const receiver = await receivers.start();
  sharedEndpointId = (await asTenant()<{ id: string }>("POST", "/v1/endpoints", { body: { name: "no customer", url: receiver.url } })).body
    .id;
});
afterAll(async () => {
  await browser?.close();
  await receivers.closeAll();
  await engine?.close();
});

async function openPortal(url: string): Promise<Page> {
  const { page } = await newPage(browser);
  await page.goto(url);
  return page;
}

const as = (token: string) => (method: string, path: string, body?: unknown) =>
  engine.request(method, path, { key: token, ...(body !== undefined && { body }) });

describe("the customer portal", () => {
  it(
    "shows a customer its own endpoints and deliveries only, and takes the token out of the address",
    async () => {
      const link = await portalLink(alice.id);
      expect(link.url).toBe(`${engine.api.url}/portal/${engine.tenantId}#token=${link.token}`);
      const page = await openPortal(link.url);
      await page.getByRole("link", { name: "Alice's endpoint" }).waitFor();
      expect(page.url()).not.toContain("token");
      const table = await page.locator("table.endpoints").textContent();
      expect(table).not.toContain("Bob");
      expect(table).not.toContain("no customer");
      await page.getByRole("link", { name: "Alice's endpoint" }).click();
      const row = page.locator("table.deliveries tbody tr").first();
      await row.getByText("succeeded").waitFor();
      await row.getByRole("link").click();
      await page.getByRole("heading", { name: /Delivery/ }).waitFor();
      expect(await page.locator("details.attempt summary").first().textContent()).toContain("200");
      // A reload in the same tab keeps working: the token is kept for this tab.
      await page.reload();
      await page.getByRole("heading", { name: /Delivery/ }).waitFor();
    },
    BROWSER_TEST_MS,
  );

  it(
    "cannot reach another customer's endpoint or delivery by editing the URL or an id",
    async () => {
      const link = await portalLink(alice.id);
      const page = await openPortal(link.url);
      await page.getByRole("link", { name: "Alice's endpoint" }).waitFor();
      await page.goto(`${engine.api.url}/portal/${engine.tenantId}/endpoints/${bob.endpointId}`);
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("not found");
      await page.goto(`${engine.api.url}/portal/${engine.tenantId}/deliveries/${bob.deliveryId}`);
      await page.getByRole("alert").waitFor();
      expect(await page.textContent("body")).not.toContain(bob.endpointId);

      const call = as(link.token);
      expect((await call("GET", `/v1/endpoints/${bob.endpointId}`)).status).toBe(404);
      expect((await call("GET", `/v1/endpoints/${sharedEndpointId}`)).status).toBe(404);
      expect((await call("GET", `/v1/deliveries/${bob.deliveryId}`)).status).toBe(404);
      expect((await call("GET", `/v1/deliveries?endpoint_id=${bob.endpointId}`)).status).toBe(404);
      expect((await call("GET", `/v1/subscriptions?endpoint_id=${bob.endpointId}`)).status).toBe(404);
      expect((await call("POST", "/v1/subscriptions", { endpoint_id: bob.endpointId, event_types: ["order.created"] })).status).toBe(404);
      // A list asked for another customer still holds only the token's customer's endpoints.
      const listed = await call("GET", `/v1/endpoints?customer_id=${bob.id}`);
      expect((listed.body as { id: string }[]).map((e) => e.id)).toEqual([alice.endpointId]);
      // Beyond its endpoints, a portal token reaches nothing of the tenant's.
      for (const [method, path] of [
        ["GET", "/v1/customers"],
        ["GET", "/v1/events"],
        ["POST", "/v1/events"],
        ["GET", "/v1/api_keys"],
        ["GET", "/v1/settings"],
        ["POST", `/v1/customers/${alice.id}/portal`],
      ] as const) {
        expect([method, path, (await call(method, path, method === "POST" ? {} : undefined)).status]).toEqual([method, path, 403]);
      }
      // Nor can it make an endpoint for someone else.
      const foreign = await call("POST", "/v1/endpoints", { name: "x", url: "http://127.0.0.1:9/x", customer_id: bob.id });
      expect(foreign.status).toBe(403);
    },
    BROWSER_TEST_MS,
  );

  it(
    "holds a read-only link to reading, in the page and against hand-made requests",
    async () => {
      const link = await portalLink(bob.id, { capabilities: [] });
      const page = await openPortal(link.url);
      await page.getByRole("link", { name: "Bob's endpoint" }).click();
      await page.locator("table.deliveries tbody tr").first().waitFor();
      expect(await page.getByRole("button", { name: /New endpoint|Pause|Delete|Reveal|Rotate|Recover|Send test event/ }).count()).toBe(0);
      await page.locator("table.deliveries a").first().click();
      await page
        .getByRole("heading", { name: /Delivery/ })
        .getByText("failed")
        .waitFor();
      expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(0);

      const call = as(link.token);
      const refused = [
        await call("PATCH", `/v1/endpoints/${bob.endpointId}`, { status: "PAUSED" }),
        await call("DELETE", `/v1/endpoints/${bob.endpointId}`),
        await call("POST", "/v1/endpoints", { name: "x", url: "http://127.0.0.1:9/x" }),
        await call("GET", `/v1/endpoints/${bob.endpointId}/secret`),
        await call("POST", `/v1/endpoints/${bob.endpointId}/secret/rotate`, {}),
        await call("POST", `/v1/endpoints/${bob.endpointId}/recover`, { since: new Date(0).toISOString() }),
        await call("POST", `/v1/deliveries/${bob.deliveryId}/retry`),
        await call("POST", "/v1/subscriptions", { endpoint_id: bob.endpointId, event_types: ["order.shipped"] }),
      ];
      expect(refused.map((r) => r.status)).toEqual(Array(refused.length).fill(403));
      const endpoint = await asTenant()<{ status: string }>("GET", `/v1/endpoints/${bob.endpointId}`);
      expect(endpoint.body.status).toBe("ACTIVE");
      expect((await call("GET", `/v1/endpoints/${bob.endpointId}`)).status).toBe(200);
    },
    BROWSER_TEST_MS,
  );

  it(
    "lets a full link create an endpoint from the catalog, which becomes the customer's",
    async () => {
      const receiver = await receivers.start();
      const link = await portalLink(alice.id);
      const page = await openPortal(link.url);
      await page.getByRole("button", { name: "New endpoint" }).click();
      await page.getByLabel("Name").fill("alice-new");
      await page.getByLabel("URL").fill(receiver.url);
      await page.getByRole("checkbox", { name: /order\.shipped/ }).check();
      await page.getByRole("button", { name: "Create endpoint" }).click();
      await page.getByRole("heading", { name: /alice-new/ }).waitFor();
      await page.locator(".tags .tag").first().waitFor();
      expect(await page.locator(".tags").textContent()).toBe("order.shipped");
      const mine = await asTenant()<{ name: string }[]>("GET", `/v1/endpoints?customer_id=${alice.id}`);
      expect(mine.body.map((e) => e.name).sort()).toEqual(["Alice's endpoint", "alice-new"]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "says so, and shows nothing, once the link expires or is revoked, or when it was forged",
    async () => {
      const link = await portalLink(alice.id);
      const page = await openPortal(link.url);
      await page.getByRole("link", { name: "Alice's endpoint" }).waitFor();
      await engine.db.pool.query(`UPDATE portal_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        link.token.split(".")[0],
      ]);
      await page.reload();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("expired");
      expect(await page.textContent("body")).not.toContain("Alice's endpoint");

      const second = await portalLink(alice.id);
      const revoked = await asTenant()<{ revoked: number }>("POST", `/v1/customers/${alice.id}/portal/revoke`);
      expect(revoked.body.revoked).toBeGreaterThanOrEqual(1);
      const afterRevoke = await openPortal(second.url);
      await afterRevoke.getByRole("alert").waitFor();
      expect(await afterRevoke.getByRole("alert").textContent()).toContain("revoked");

      const forged = await openPortal(`${engine.api.url}/portal/${engine.tenantId}#token=${second.token.slice(0, -4)}AAAA`);
      await forged.getByRole("alert").waitFor();
      expect(await forged.textContent("body")).not.toContain("Alice");
    },
    BROWSER_TEST_MS,
  );

  it(
    "is branded and framed only by the origins the tenant allows",
    async () => {
      const host: Server = createServer((req, res) => {
        res.setHeader("content-type", "text/html");
        res.end(`<iframe id="portal" src="${decodeURIComponent(req.url!.slice(1))}" width="1000" height="700"></iframe>`);
      });
      await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
      const hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
      const settings = await asTenant()("PATCH", "/v1/settings", {
        body: { portal: { name: "Acme Webhooks", accent_color: "#aa3300", frame_ancestors: [hostOrigin] } },
      });
      expect(settings.status).toBe(200);
      const link = await portalLink(alice.id);
      const headers = (await fetch(link.url.split("#")[0]!)).headers;
      expect(headers.get("content-security-policy")).toContain(`frame-ancestors ${hostOrigin}`);
      expect(headers.get("x-frame-options")).toBeNull();

      const { page } = await newPage(browser);
      await page.goto(`${hostOrigin}/${encodeURIComponent(link.url)}`);
      const frame = page.frameLocator("#portal");
      await frame.getByText("Acme Webhooks").waitFor();
      await frame.getByRole("link", { name: "Alice's endpoint" }).waitFor();
      const accent = await frame.locator("html").evaluate((html) => getComputedStyle(html).getPropertyValue("--accent").trim());
      expect(accent).toBe("#aa3300");

      // Another origin may not frame it: Chromium refuses to render the portal there.
      await asTenant()("PATCH", "/v1/settings", { body: { portal: { frame_ancestors: ["https://elsewhere.example"] } } });
      const refused = await newPage(browser);
      const violation = refused.page.waitForEvent("console", (message) => message.text().includes("frame-ancestors"));
      await refused.page.goto(`${hostOrigin}/${encodeURIComponent((await portalLink(alice.id)).url)}`);
      expect((await violation).text()).toContain("has been blocked");
      expect(await refused.page.frameLocator("#portal").getByText("Acme Webhooks").count()).toBe(0);
      host.close();
      await asTenant()("PATCH", "/v1/settings", { body: { portal: { frame_ancestors: [], name: null, accent_color: null } } });
    },
    BROWSER_TEST_MS,
  );
});
