import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

/** The lint rule that keeps Prisma and the pool inside @hookline/db is on, and bites. */
const root = fileURLToPath(new URL("../../..", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe("only @hookline/db touches the database", () => {
  it("fails the lint of another package that imports Prisma or pg, or reaches for the client or the pool", async () => {
    expect(await problems(`import pg from "pg";\nexport const p = pg;\n`, "apps/api/src/probe.ts")).toContain("no-restricted-imports");
    expect(
      await problems(`import { PrismaClient } from "@prisma/client";\nexport const p = PrismaClient;\n`, "apps/worker/src/probe.ts"),
    ).toContain("no-restricted-imports");
    expect(
      await problems(
        `export const count = (db: { prisma: { endpoint: unknown } }) => db.prisma.endpoint;\n`,
        "packages/publishing/src/probe.ts",
      ),
    ).toContain("no-restricted-syntax");
    expect(await problems(`export const q = (db: { pool: unknown }) => db.pool;\n`, "apps/api/src/probe.ts")).toContain(
      "no-restricted-syntax",
    );
  });

  it("lets the database layer and tests do so", async () => {
    expect(await problems(`import pg from "pg";\nexport const p = pg;\n`, "packages/db/src/probe.ts")).toEqual([]);
    expect(await problems(`export const q = (db: { pool: unknown }) => db.pool;\n`, "apps/api/test/probe.test.ts")).toEqual([]);
  });
});
