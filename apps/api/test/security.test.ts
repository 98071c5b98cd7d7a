import { createLogger } from "@hookline/core";
import { EncryptionKeyMismatchError } from "@hookline/db";
import { jsonClient, testConfig, type JsonResponse } from "@hookline/testing";
import { startApi } from "../src/server.js";
import { startHarness, type Harness } from "./harness.js";

/** The SSRF guard's early half, secrets at rest, rotation's API, rate limits and headers. */
let h: Harness;
beforeAll(async () => {
  // No allowlist here: the defaults an installation starts with.
  h = await startHarness({ ALLOW_PRIVATE_TARGETS: "", RATE_LIMIT_PER_SECOND: "100000" });
});
afterAll(() => h.close());

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const silent = createLogger({ level: "silent", name: "security-test" });
const rows = () =>
  h.db.pool.query<{ id: string; secret: string; oauth_client_secret: string | null }>(
    "SELECT id, secret, oauth_client_secret FROM endpoints",
  );

describe("target URLs", () => {
  it.each([
    ["http://127.0.0.1/hook", "loopback"],
    ["http://2130706433/hook", "loopback"],
    ["http://0x7f.1/hook", "loopback"],
    ["http://localhost:8080/hook", "loopback"],
    ["http://api.localhost/hook", "loopback"],
    ["http://10.0.0.8/hook", "private"],
    ["http://169.254.169.254/latest/meta-data/", "linkLocal"],
    ["http://100.64.1.1/", "carrierGradeNat"],
    ["http://[::1]/", "loopback"],
    ["http://[fd00::1]/", "uniqueLocal"],
    ["http://[::ffff:10.1.1.1]/", "private"],
  ])("refuses to store %s: 400 naming the rule and the setting, nothing written", async (url, rule) => {
    const before = (await rows()).rows.length;
    const response = await h.request<{ error: { code: string; details: { field: string; message: string }[] } }>("POST", "/v1/endpoints", {
      body: { name: "x", url },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_error");
    expect(response.body.error.details[0]?.field).toBe("url");
    expect(response.body.error.details[0]?.message).toContain(`a ${rule} address`);
    expect(response.body.error.details[0]?.message).toContain("ALLOW_PRIVATE_TARGETS");
    expect((await rows()).rows.length).toBe(before);
  });

  it("guards every API flavour and every URL field, on create and on update", async () => {
    const blocked = "http://192.168.0.10/x";
    const endpoint = await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "ok", url: "https://hooks.example.com/a" } });
    const setting = await h.request<{ id: string }>("POST", "/v1/webhook_settings", {
      body: { object_type: "role", url: "https://hooks.example.com/b" },
    });
    const auth = { method: "oauth", token_url: "https://auth.example.com/token", client_id: "c", client_secret: "s" };
    const webhook = await h.request<{ id: string }>("POST", "/v1/webhooks", {
      body: { name: "w", trigger_action: "a.b", url: "https://hooks.example.com/c", authentication: auth },
    });
    expect(webhook.status).toBe(201);
    const oauth = { ...auth, token_url: "http://169.254.169.254/token" };
    const attempts: [string, string, unknown, string][] = [
      ["PATCH", `/v1/endpoints/${endpoint.body.id}`, { url: blocked }, "url"],
      ["POST", "/v1/webhook_settings", { object_type: "role", url: blocked }, "url"],
      ["PATCH", `/v1/webhook_settings/${setting.body.id}`, { url: blocked }, "url"],
      ["POST", "/v1/webhooks", { name: "v", trigger_action: "a.b", url: blocked, authentication: auth }, "url"],
      [
        "POST",
        "/v1/webhooks",
        { name: "v", trigger_action: "a.b", url: "https://hooks.example.com/d", authentication: oauth },
        "authentication.token_url",
      ],
      ["PATCH", `/v1/webhooks/${webhook.body.id}`, { url: blocked }, "url"],
      ["PATCH", `/v1/webhooks/${webhook.body.id}`, { authentication: { token_url: "http://[::1]/t" } }, "authentication.token_url"],
    ];
    for (const [method, path, body, field] of attempts) {
      const response = await h.request<{ error: { details: { field: string }[] } }>(method, path, { body });
      expect([method, path, response.status]).toEqual([method, path, 400]);
      expect(response.body.error.details.map((d) => d.field)).toContain(field);
    }
    const stored = await h.db.pool.query<{ url: string }>("SELECT url FROM endpoints");
    expect(stored.rows.map((r) => r.url)).not.toContain(blocked);
  });

  it("stores host names; what they resolve to is judged at each connection", async () => {
    const response = await h.request("POST", "/v1/endpoints", { body: { name: "n", url: "http://internal.example.test:8080/hook" } });
    expect(response.status).toBe(201);
  });
});

describe("secrets at rest", () => {
  it("seals endpoint and OAuth client secrets in the database and opens them for their owner", async () => {
    const endpoint = await h.request<{ id: string }>("POST", "/v1/endpoints", {
      body: { name: "s", url: "https://hooks.example.com/s", secret: SECRET },
    });
    const webhook = await h.request<{ id: string }>("POST", "/v1/webhooks", {
      body: {
        name: "sealed",
        trigger_action: "a.b",
        url: "https://hooks.example.com/w",
        authentication: {
          method: "oauth",
          token_url: "https://auth.example.com/token",
          client_id: "id",
          client_secret: "client-secret-value",
        },
      },
    });
    const { rows: stored } = await rows();
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(SECRET.slice(6));
    expect(raw).not.toContain("client-secret-value");
    for (const row of stored) expect(row.secret).toMatch(/^enc:v1:[0-9a-f]{12}:[A-Za-z0-9_-]+$/);
    expect(stored.find((r) => r.id === webhook.body.id)?.oauth_client_secret).toMatch(/^enc:v1:/);

    const revealed = await h.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`);
    expect(revealed.body.secret).toBe(SECRET);
  });

  it("binds each sealed value to its row: copied into another endpoint, it does not open", async () => {
    const a = await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "a", url: "https://hooks.example.com/1" } });
    const b = await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "b", url: "https://hooks.example.com/2" } });
    await h.db.pool.query("UPDATE endpoints SET secret = (SELECT secret FROM endpoints WHERE id = $1) WHERE id = $2", [
      a.body.id,
      b.body.id,
    ]);
    const response = await h.request<{ error: { code: string } }>("GET", `/v1/endpoints/${b.body.id}/secret`);
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe("internal_error");
    expect(response.text).not.toMatch(/enc:v1|authenticate|stack/);
    await h.request("DELETE", `/v1/endpoints/${b.body.id}`);
  });

  it("refuses to start with another key, before serving anything", async () => {
    const config = testConfig({
      databaseUrl: h.config.databaseUrl,
      queuePrefix: h.config.queuePrefix,
      env: { ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64") },
    });
    await expect(startApi(config, silent)).rejects.toThrow(EncryptionKeyMismatchError);
    await expect(startApi(config, silent)).rejects.toThrow(/ENCRYPTION_KEY does not match/);
  });

  it("seals secrets written in plain text before encryption at rest, at the next start", async () => {
    const created = await h.request<{ id: string }>("POST", "/v1/endpoints", {
      body: { name: "legacy", url: "https://hooks.example.com/l" },
    });
    await h.db.pool.query("UPDATE endpoints SET secret = $2, oauth_client_secret = 'plain-client' WHERE id = $1", [
      created.body.id,
      SECRET,
    ]);
    const second = await startApi(h.config, silent);
    try {
      const { rows: stored } = await h.db.pool.query<{ secret: string; oauth_client_secret: string }>(
        "SELECT secret, oauth_client_secret FROM endpoints WHERE id = $1",
        [created.body.id],
      );
      expect(stored[0]?.secret).toMatch(/^enc:v1:/);
      expect(stored[0]?.oauth_client_secret).toMatch(/^enc:v1:/);
      const revealed = await h.request<{ secret: string }>("GET", `/v1/endpoints/${created.body.id}/secret`);
      expect(revealed.body.secret).toBe(SECRET);
    } finally {
      await second.stop();
    }
  });
});

describe("POST /v1/endpoints/{id}/secret/rotate", () => {
  it("issues a new secret and keeps the old one for 24 hours by default", async () => {
    const endpoint = await h.request<{ id: string }>("POST", "/v1/endpoints", {
      body: { name: "r", url: "https://hooks.example.com/r", secret: SECRET },
    });
    const before = Date.now();
    const rotated = await h.request<{ secret: string; previous_secret_expires_at: string }>(
      "POST",
      `/v1/endpoints/${endpoint.body.id}/secret/rotate`,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(SECRET);
    const expires = Date.parse(rotated.body.previous_secret_expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + 24 * 3600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    expect((await h.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`)).body.secret).toBe(rotated.body.secret);
    const stored = await h.db.pool.query<{ previous_secrets: { secret: string; expires_at: string }[] }>(
      "SELECT previous_secrets FROM endpoints WHERE id = $1",
      [endpoint.body.id],
    );
    expect(stored.rows[0]?.previous_secrets).toHaveLength(1);
    expect(JSON.stringify(stored.rows[0])).not.toContain(SECRET.slice(6));
  });

  it("takes a given secret and grace period; zero grace retires the old secret at once", async () => {
    const endpoint = await h.request<{ id: string }>("POST", "/v1/endpoints", { body: { name: "z", url: "https://hooks.example.com/z" } });
    const rotated = await h.request<{ secret: string; previous_secret_expires_at: null }>(
      "POST",
      `/v1/endpoints/${endpoint.body.id}/secret/rotate`,
      {
        body: { secret: SECRET, grace_period_seconds: 0 },
      },
    );
    expect(rotated.body).toEqual({ secret: SECRET, previous_secret_expires_at: null });
  });

  it.each([
    [{ grace_period_seconds: 7 * 86400 + 1 }, "grace_period_seconds"],
    [{ grace_period_seconds: -1 }, "grace_period_seconds"],
    [{ grace_period_seconds: "1h" }, "grace_period_seconds"],
    [{ secret: "not-a-secret" }, "secret"],
    [{ extra: true }, "extra"],
  ])("refuses %j with a 400 naming %s, changing nothing", async (body, field) => {
    const endpoint = await h.request<{ id: string }>("POST", "/v1/endpoints", {
      body: { name: "v", url: "https://hooks.example.com/v", secret: SECRET },
    });
    const response = await h.request<{ error: { details: { field: string }[] } }>(
      "POST",
      `/v1/endpoints/${endpoint.body.id}/secret/rotate`,
      { body },
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.details)).toContain(field);
    expect((await h.request<{ secret: string }>("GET", `/v1/endpoints/${endpoint.body.id}/secret`)).body.secret).toBe(SECRET);
  });
});

describe("responses", () => {
  it.each([
    ["GET", "/healthz", 200],
    ["GET", "/v1/endpoints", 200],
    ["GET", "/v1/nothing-here", 404],
    ["POST", "/v1/endpoints", 400],
  ])("%s %s carries the security headers", async (method, path, status) => {
    const response = await h.request(method, path, { body: method === "POST" ? { bad: true } : undefined });
    expect(response.status).toBe(status);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });
});

describe("rate limits", () => {
  it("gives each tenant one budget across API processes, then 429 with Retry-After", async () => {
    const limited = await startHarness({ RATE_LIMIT_PER_SECOND: "5" });
    const second = await startApi(limited.config, silent);
    try {
      // Warm both processes up (their first request compiles statements) on another tenant's budget.
      const warm = await limited.newTenant("warm");
      await Promise.all([warm.request("GET", "/v1/endpoints"), jsonClient(second.url, warm.apiKey)("GET", "/v1/endpoints")]);
      // Six requests, three through each process, for a budget of five a second. The window opens
      // with the first of them; should a loaded machine stretch the burst past it, a fresh tenant
      // tries again. Budgets counted per process (three each) would never refuse one.
      let responses: JsonResponse[] = [];
      for (let burst = 0; burst < 3 && !responses.some((r) => r.status === 429); burst++) {
        const tenant = burst === 0 ? { request: limited.request, apiKey: limited.apiKey } : await limited.newTenant(`burst-${burst}`);
        const viaSecond = jsonClient(second.url, tenant.apiKey);
        responses = await Promise.all([
          ...Array.from({ length: 3 }, () => tenant.request("GET", "/v1/endpoints")),
          ...Array.from({ length: 3 }, () => viaSecond("GET", "/v1/endpoints")),
        ]);
      }
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = responses.find((r) => r.status === 429);
      expect(refused?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(refused?.headers.get("ratelimit-limit")).toBe("5");
      expect(refused?.headers.get("ratelimit-remaining")).toBe("0");
      expect(refused?.body).toMatchObject({ error: { code: "rate_limited", message: expect.stringContaining("5 requests per second") } });
      // Another tenant has its own budget.
      const other = await limited.newTenant("other");
      expect((await other.request("GET", "/v1/endpoints")).status).toBe(200);
    } finally {
      await second.stop();
      await limited.close();
    }
  });
});
