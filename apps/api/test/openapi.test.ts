import type { Express } from "express";
import { OPERATIONS } from "@hookline/api-contract";
import { routeTable } from "../src/http/route-table.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface Document {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  servers: { url: string }[];
  webhooks: Record<string, { post: { requestBody: { content: { "application/json": { schema: { properties: { data: unknown } } } } } } }>;
}

describe("the OpenAPI document", () => {
  it("has an operation for every route the API mounts, and no operation for a route it does not", () => {
    const app = h.api.server.listeners("request")[0] as unknown as Express;
    const mounted = routeTable(app).map((route) => route.replace(/:(\w+)/g, "{$1}"));
    const documented = OPERATIONS.filter((operation) => operation.path.startsWith("/v1/")).map(
      (operation) => `${operation.method.toUpperCase()} ${operation.path}`,
    );
    expect(mounted.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !mounted.includes(route))).toEqual([]);
  });

  it("is served at /openapi.json to anyone, with this server's address", async () => {
    const response = await fetch(`${h.api.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Document;
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: h.api.url }]);
    expect(Object.keys(document.paths)).toContain("/v1/endpoints/{id}");
  });

  it("is browsable at /docs, its assets served by Hookline itself", async () => {
    const page = await fetch(`${h.api.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("swagger-ui");
    expect(html).not.toMatch(/src="https?:\/\//);
    const script = /src="\.?\/?([^"]*swagger-ui-bundle\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${h.api.url}/docs/${script}`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain("SwaggerUI");
  });

  it("for a tenant, lists its event types under webhooks with their JSON Schemas", async () => {
    const schema = { type: "object", required: ["amount"], properties: { amount: { type: "integer" } } };
    await h.request("POST", "/v1/event_types", { body: { name: "payment.created", description: "A payment", schema } });
    const document = await h.request<Document>("GET", "/v1/openapi.json");
    expect(document.status).toBe(200);
    expect(document.body.webhooks["payment.created"]?.post.requestBody.content["application/json"].schema.properties.data).toEqual(schema);
    expect(Object.keys(document.body.webhooks)).toContain("delivery");
    expect((await h.request("GET", "/v1/openapi.json", { key: null })).status).toBe(401);
  });
});
