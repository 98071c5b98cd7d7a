import { compileWorkflow, DEFAULT_SANDBOX_LIMITS, SandboxPool } from "../src/index.js";

const problemsOf = (source: string) => {
  const result = compileWorkflow(source);
  return result.ok ? [] : result.problems;
};

describe("compileWorkflow", () => {
  test("strips TypeScript and keeps every line where it was", () => {
    const source = [
      "interface Order { id: number }",
      "const workflow: EndpointWorkflow = async ({ request }): Promise<Response> => {",
      "  const order = (await request.json()) as Order;",
      "  return Response.json({ id: order.id });",
      "};",
      "export default workflow;",
    ].join("\n");
    const result = compileWorkflow(source);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.js.split("\n")).toHaveLength(6);
    expect(result.js.split("\n")[3]).toBe("  return Response.json({ id: order.id });");
    expect(result.js).not.toContain("Order }");
  });

  test("a syntax error is a problem at its line and column", () => {
    expect(problemsOf("export default async () => {\n  const x = ;\n};")).toEqual([{ message: "Unexpected token", line: 2, column: 13 }]);
  });

  test("static, dynamic and re-exporting imports are problems at their line and column", () => {
    const source = [
      'import fs from "fs";',
      "export default async () => {",
      '  const os = await import("os");',
      "  return new Response(String(fs) + String(os));",
      "};",
      'export * from "path";',
    ].join("\n");
    expect(problemsOf(source)).toEqual([
      { message: "imports are not available in workflows", line: 1, column: 1 },
      { message: "imports are not available in workflows", line: 3, column: 20 },
      { message: "imports are not available in workflows", line: 6, column: 1 },
    ]);
  });

  test("an import used only for types is still reported; `import type` is not an import", () => {
    expect(problemsOf('import { Thing } from "lib";\nlet t: Thing;\nexport default async () => new Response("x");')).toHaveLength(1);
    expect(problemsOf('import type { Thing } from "lib";\nlet t: Thing;\nexport default async () => new Response("x");')).toEqual([]);
  });

  test("no default export is a problem", () => {
    expect(problemsOf("export const workflow = async () => new Response('x');")).toEqual([
      { message: "the workflow has no default export: end it with `export default workflow;`", line: 1, column: 1 },
    ]);
    expect(problemsOf("const w = async () => new Response('x');\nexport { w as default };")).toEqual([]);
  });
});

describe("SandboxPool.check (QuickJS parses the module, nothing runs)", () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ threads: 1, limits: DEFAULT_SANDBOX_LIMITS });
  });
  afterAll(() => pool.close());

  const compiled = (source: string): string => {
    const result = compileWorkflow(source);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.js;
  };

  test("accepts a valid workflow", async () => {
    expect(await pool.check(compiled('export default async () => new Response("hello world");'))).toEqual([]);
  });

  test("catches syntax errors sucrase lets through, with their line and column", async () => {
    // Sucrase's parser does not check these early errors; QuickJS's does.
    const redeclared = compiled('let a = 1;\nlet a = 2;\nexport default async () => new Response("x");');
    expect(await pool.check(redeclared)).toEqual([
      { message: "SyntaxError: invalid redefinition of global identifier", line: 2, column: 7 },
    ]);
    const badFlags = compiled('const pattern = /a/gg;\nexport default async () => new Response("x");');
    expect(await pool.check(badFlags)).toEqual([{ message: "SyntaxError: invalid regular expression flags", line: 1, column: 17 }]);
    const deleted = compiled('let q = 1;\ndelete q;\nexport default async () => new Response("x");');
    expect((await pool.check(deleted))[0]).toMatchObject({ line: 2 });
  });

  test("runs none of the module: a top-level endless loop or throw is not reached", async () => {
    expect(await pool.check(compiled('while (true) {}\nexport default async () => new Response("x");'))).toEqual([]);
    expect(await pool.check(compiled('throw new Error("ran");\nexport default async () => new Response("x");'))).toEqual([]);
  });
});
