import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

/** The lint rule that keeps OpenTelemetry behind @hookline/core's Tracing and the SDK in this package is on, and bites. */
const root = fileURLToPath(new URL("../../..", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const API = `import { trace } from "@opentelemetry/api";\nexport const t = trace;\n`;
const SDK = `import { TracerProvider } from "@opentelemetry/sdk-trace";\nexport const t = TracerProvider;\n`;

describe("only @hookline/core and @hookline/telemetry touch OpenTelemetry", () => {
  it("fails the lint of a package or app that imports it, and of core importing the SDK", async () => {
    expect(await problems(API, "packages/delivery-engine/src/probe.ts")).toContain("no-restricted-imports");
    expect(await problems(SDK, "apps/worker/src/probe.ts")).toContain("no-restricted-imports");
    expect(await problems(SDK, "packages/core/src/probe.ts")).toContain("no-restricted-imports");
  });

  it("lets core use the API and telemetry the SDK, and keeps the database rule for both", async () => {
    expect(await problems(API, "packages/core/src/probe.ts")).toEqual([]);
    expect(await problems(SDK, "packages/telemetry/src/probe.ts")).toEqual([]);
    expect(await problems(`import pg from "pg";\nexport const p = pg;\n`, "packages/telemetry/src/probe.ts")).toContain(
      "no-restricted-imports",
    );
  });
});
