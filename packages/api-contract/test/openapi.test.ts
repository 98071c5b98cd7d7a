import { readFileSync } from "node:fs";
import { validate as validateDocument } from "@readme/openapi-parser";
import { buildOpenApiDocument, OPERATIONS, type OpenApiDocument } from "../src/index.js";
// @ts-expect-error: a plain ESM script without types, run by `npm run generate:schemas` too
import { generateSchemas, OUTPUT, render } from "../scripts/generate-schemas.mjs";

/** The validator's verdict, and its errors when there are any. */
async function validate(document: OpenApiDocument): Promise<{ valid: boolean; errors: unknown[] }> {
  const result = await validateDocument(structuredClone(document) as Parameters<typeof validateDocument>[0]);
  return { valid: result.valid, errors: result.valid ? [] : result.errors };
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = buildOpenApiDocument({ serverUrl: "http://localhost:3000", version: "test" });
    const result = await validate(document);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("describes a tenant's event types as webhooks, each with its JSON Schema", async () => {
    const schema = { type: "object", required: ["amount"], properties: { amount: { type: "integer" } } };
    const document = buildOpenApiDocument({
      serverUrl: "http://localhost:3000",
      version: "test",
      eventTypes: [{ name: "payment.created", description: "A payment was made", schema }],
    });
    const webhooks = document.webhooks as Record<
      string,
      { post: { requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } } } }
    >;
    expect(webhooks["payment.created"]!.post.requestBody.content["application/json"].schema.properties.data).toEqual(schema);
    expect((await validate(document)).valid).toBe(true);
  });

  it("names each operation once", () => {
    const ids = OPERATIONS.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = OPERATIONS.map((operation) => `${operation.method} ${operation.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it("has response schemas generated from the contract's current types (npm run generate:schemas -w @hookline/api-contract)", () => {
    expect(readFileSync(OUTPUT, "utf8")).toBe(render(generateSchemas()));
  });
});
