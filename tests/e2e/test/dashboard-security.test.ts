import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { BROWSER_TEST_MS, launchBrowser, newPage, signInToDashboard } from "../src/browser.js";
import { eventually, publish, receiverPool, startEngine, type Engine } from "../src/engine.js";

/** What a hostile event, receiver or site can do to a signed-in dashboard: nothing. */
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

const MARKUP = `<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=1">`;

async function signIn(apiKey = engine.apiKey) {
  const opened = await newPage(browser);
  await signInToDashboard(opened.page, engine.api.url, apiKey);
  return opened;
}

async function sessionCookie(apiKey = engine.apiKey) {
  const response = await fetch(`${engine.api.url}/dashboard/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ api_key: apiKey }),
  });
  const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
  const { csrf_token } = (await response.json()) as { csrf_token: string };
  return { cookie, csrf: csrf_token };
}

describe("dashboard security", () => {
  it(
    "shows markup in names, response headers and bodies as text, never as HTML",
    async () => {
      const receiver = await receivers.start(() => ({ status: 500, headers: { "x-evil": MARKUP }, body: MARKUP }));
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: MARKUP, url: receiver.url } });
      await engine.request("POST", "/v1/subscriptions", { body: { endpoint_id: endpoint.body.id, event_types: ["evil.happened"] } });
      await publish(engine.request, "evil.happened", { note: MARKUP });
      const [delivery] = await eventually(async () => {
        const list = await engine.request<{ id: string; attempt_count: number }[]>("GET", `/v1/endpoints/${endpoint.body.id}/deliveries`);
        return list.body[0] && list.body[0].attempt_count > 0 ? list.body : undefined;
      });

      const { page, problems } = await signIn();
      await page.goto(`${engine.api.url}/dashboard/endpoints`);
      await page.getByRole("link", { name: MARKUP }).waitFor();
      await page.goto(`${engine.api.url}/dashboard/endpoints/${endpoint.body.id}`);
      await page.getByRole("heading", { name: MARKUP }).waitFor();
      await page.goto(`${engine.api.url}/dashboard/deliveries/${delivery!.id}`);
      await page.locator("details.attempt pre.json").first().waitFor();
      expect(await page.locator("details.attempt").first().textContent()).toContain(MARKUP);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator("img[src=x], main script").count()).toBe(0);
      expect(problems.errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    "sends a strict content policy with every page",
    async () => {
      const page = await fetch(`${engine.api.url}/dashboard/endpoints`);
      expect(page.headers.get("content-type")).toContain("text/html");
      const csp = page.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      expect(await page.text()).not.toMatch(/<script>|<style>| on\w+=/);
    },
    BROWSER_TEST_MS,
  );

  it(
    "refuses a change made with the session cookie but without the session's CSRF token",
    async () => {
      const receiver = await receivers.start();
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "csrf", url: receiver.url } });
      const { cookie, csrf } = await sessionCookie();
      const patch = (headers: Record<string, string>) =>
        fetch(`${engine.api.url}/v1/endpoints/${endpoint.body.id}`, {
          method: "PATCH",
          headers: { cookie, "content-type": "application/json", ...headers },
          body: JSON.stringify({ status: "PAUSED" }),
        });
      expect((await patch({})).status).toBe(403);
      expect((await patch({ "x-csrf-token": "x".repeat(csrf.length) })).status).toBe(403);
      expect((await patch({ "x-csrf-token": csrf, "sec-fetch-site": "cross-site" })).status).toBe(403);
      expect((await engine.request<{ status: string }>("GET", `/v1/endpoints/${endpoint.body.id}`)).body.status).toBe("ACTIVE");
      // Reading needs no token; the right token makes the change.
      expect((await fetch(`${engine.api.url}/v1/endpoints/${endpoint.body.id}`, { headers: { cookie } })).status).toBe(200);
      expect((await patch({ "x-csrf-token": csrf })).status).toBe(200);
    },
    BROWSER_TEST_MS,
  );

  it(
    "a cross-site form posted from another site's page changes nothing",
    async () => {
      const receiver = await receivers.start();
      const endpoint = await engine.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "target", url: receiver.url } });
      const secretBefore = (await engine.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`)).body.secret;
      const target = `${engine.api.url}/v1/endpoints/${endpoint.body.id}/secret/rotate`;
      // The attacker's page, on another site (localhost is not the API's 127.0.0.1).
      const evil: Server = createServer((_req, res) => {
        res.setHeader("content-type", "text/html");
        res.end(
          `<form id=f method=post action="${target}" enctype="text/plain"><input name='{"a":"' value='"}'></form>` +
            `<script>document.getElementById("f").submit()</script>`,
        );
      });
      await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
      const { page } = await signIn();
      const answered = page.waitForResponse((response) => response.url() === target);
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const response = await answered;
      expect(response.status()).toBeGreaterThanOrEqual(400);
      evil.close();
      const secretAfter = (await engine.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`)).body.secret;
      expect(secretAfter).toBe(secretBefore);
    },
    BROWSER_TEST_MS,
  );

  it(
    "keeps Bull Board behind the admin: no credentials, a tenant's session: refused; the admin's: served",
    async () => {
      expect((await fetch(`${engine.api.url}/admin/queues`)).status).toBe(401);
      const tenant = await sessionCookie();
      expect((await fetch(`${engine.api.url}/admin/queues`, { headers: { cookie: tenant.cookie } })).status).toBe(403);
      const bearer = await fetch(`${engine.api.url}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${engine.adminToken}` },
      });
      expect(bearer.status).toBe(200);

      const { page, problems } = await newPage(browser);
      await page.goto(`${engine.api.url}/dashboard`);
      await page.getByLabel("API key or admin token").fill(engine.adminToken);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Tenants" }).waitFor();
      await page.goto(`${engine.api.url}/admin/queues`);
      await page.getByText("deliveries", { exact: false }).first().waitFor();
      expect(problems.errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
    },
    BROWSER_TEST_MS,
  );
});
