import { readFileSync } from "node:fs";
import { generate, OUTPUT } from "../scripts/generate.mjs";

describe("src/generated/openapi.ts", () => {
  it("is what the current OpenAPI document generates (npm run generate -w @hookline/sdk)", async () => {
    expect(readFileSync(OUTPUT, "utf8")).toBe(await generate());
  });
});
