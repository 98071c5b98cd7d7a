import type { Browser, Page } from "playwright-core";
import { launchBrowser, newPage, signInToDashboard } from "../src/browser.js";
import { eventually, startEngine, type Engine } from "../src/engine.js";

/** The dashboard's inbound endpoints (the workflow in CodeMirror) in Debian's Chromium against a real API. */
let engine: Engine;
let browser: Browser;
beforeAll(async () => {
  // CPU time to spare: a first run on a busy machine is not what these tests are about.
  [engine, browser] = await Promise.all([startEngine({ WORKFLOW_CPU_MS: "2000" }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

interface Session {
  readonly page: Page;
  readonly errors: string[];
  /** Every console message about the content policy: the editor must need no exception to it. */
  readonly csp: string[];
}

async function signedIn(): Promise<Session> {
  const { page, problems } = await newPage(browser);
  const csp: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) csp.push(message.text());
  });
  await signInToDashboard(page, engine.api.url, engine.apiKey, "Inbound");
  return { page, errors: problems.errors, csp };
}

/** Errors other than the 4xx answers a page shows on purpose (the browser logs each as an error). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 4\d\d/.test(e));

/** Replaces the editor's text as typing would (an input, not a key per character: no auto-closed brackets). */
async function replaceCode(page: Page, code: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  await page.waitForFunction(
    (expected) => document.querySelector("[data-testid=code-editor]")?.shadowRoot?.querySelector(".cm-content")?.textContent === expected,
    code.replace(/\n/g, ""),
  );
}

const BROKEN = `const workflow: EndpointWorkflow = async ({ request, utils }) => {
  const body = await request.json();
  const greeting = ;
  return Response.json({ greeting }, { status: 201 });
};
export default workflow;
`;

const WORKFLOW = `const workflow: EndpointWorkflow = async ({ request, env, utils }) => {
  const body = await request.json();
  utils.log("hello from", body.who, "in", env.ENVIRONMENT);
  return Response.json({ greeting: "hi " + body.who }, { status: 201, headers: { "x-greeting": "yes" } });
};
export default workflow;
`;

describe("the dashboard's inbound endpoints", () => {
  it("creates an endpoint, edits its workflow in CodeMirror (a compile error marked on its line), previews, publishes, and lists the real call", async () => {
    const { page, errors, csp } = await signedIn();
    await page.getByRole("link", { name: "Inbound" }).click();
    await page.getByRole("heading", { name: "Inbound endpoints" }).waitFor();
    await page.getByRole("button", { name: "New inbound endpoint" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Greeter");
    await page.getByLabel(/^Path/).fill("/greet");
    await page.getByLabel("Method").selectOption("POST");
    await page.getByLabel("Access level").selectOption("none");
    await page.getByRole("button", { name: "Create inbound endpoint" }).click();
    await page.getByRole("heading", { name: /Greeter/ }).waitFor();
    expect(await page.locator(".facts").textContent()).toContain("POST /greet");

    // The editor: CodeMirror drew itself, with its own styles applied (no content policy exception)
    // and the TypeScript highlighted.
    await page.locator(".cm-editor .cm-line").first().waitFor();
    const look = await page.evaluate(() => {
      const root = document.querySelector("[data-testid=code-editor]")!.shadowRoot!;
      const editor = root.querySelector<HTMLElement>(".cm-editor")!;
      const keyword = [...root.querySelectorAll<HTMLElement>(".cm-line span")].find((s) => s.textContent === "const");
      const line = root.querySelector<HTMLElement>(".cm-line")!;
      return {
        display: getComputedStyle(editor).display,
        keywordClass: keyword?.className ?? "",
        keywordColour: keyword ? getComputedStyle(keyword).color : "",
        lineColour: getComputedStyle(line).color,
        sheets: root.adoptedStyleSheets.length,
      };
    });
    expect(look.display).toBe("flex"); // CodeMirror's base theme, from its adopted stylesheet
    expect(look.sheets).toBeGreaterThan(0);
    expect(look.keywordClass).not.toBe("");
    expect(look.keywordColour).not.toBe(look.lineColour);

    // A syntax error: the save is refused, the problem names its line, and the editor marks it.
    await replaceCode(page, BROKEN);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const problems = page.getByRole("alert", { name: "Compile problems" });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/Line 3, column \d+/);
    await page.locator(".cm-lintRange-error").first().waitFor();
    const marked = await page.evaluate(() => {
      const root = document.querySelector("[data-testid=code-editor]")!.shadowRoot!;
      const lines = [...root.querySelectorAll(".cm-line")];
      return lines.findIndex((l) => l.querySelector(".cm-lintRange-error")) + 1;
    });
    expect(marked).toBe(3);
    expect(await page.getByTestId("workflow-versions").textContent()).toContain("nothing saved yet");

    // Fixed: saved as version 1, the marks gone.
    await replaceCode(page, WORKFLOW);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Saved as version 1." }).waitFor();
    expect(await page.locator(".cm-lintRange-error").count()).toBe(0);
    expect(await problems.count()).toBe(0);

    // A preview run: the answer and the log.
    await page.getByLabel("Body").fill('{"who": "preview"}');
    await page.getByRole("button", { name: "Run preview" }).click();
    await page.getByTestId("preview-result").waitFor();
    expect(await page.getByTestId("preview-status").textContent()).toBe("201");
    expect(JSON.parse((await page.getByTestId("preview-body").textContent())!)).toEqual({ greeting: "hi preview" });
    const preview = page.getByTestId("preview-result");
    expect(await preview.textContent()).toContain('"x-greeting": "yes"');
    expect(await preview.getByRole("list", { name: "Log" }).textContent()).toContain("hello from preview in preview");

    // Publish, then call the live URL as another system would.
    await page.getByRole("button", { name: "Publish v1" }).first().click();
    await page.getByRole("status").filter({ hasText: "Version 1 is live." }).waitFor();
    expect(await page.getByTestId("workflow-versions").textContent()).toContain("v1 published");
    const liveUrl = (await page.locator(".facts .urls li").filter({ hasText: "live" }).locator("code").textContent())!;
    expect(liveUrl).toMatch(/\/api\/v1\/envs\/env_[^/]+\/endpoints\/greet$/);
    const call = await fetch(liveUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"who": "stripe"}' });
    expect(call.status).toBe(201);
    expect(await call.json()).toEqual({ greeting: "hi stripe" });
    const executionId = call.headers.get("x-hookline-execution-id");
    expect(executionId).toMatch(/^exe_/);

    // The executions list follows new calls: the call shows up, and opens.
    const row = page.locator("table.executions tbody tr").first();
    await eventually(async () => ((await row.count()) > 0 ? true : undefined), 15_000, "the execution listed");
    await row.getByText("ok").waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain("201");
    expect(await row.textContent()).toContain("live");
    await row.getByRole("link").click();
    await page.getByRole("heading", { name: /Execution/ }).waitFor();
    expect(await page.locator(".facts").textContent()).toContain(executionId);
    expect(await page.getByTestId("execution-status").textContent()).toBe("201");
    expect(await page.getByRole("list", { name: "Log" }).textContent()).toContain("hello from stripe in live");

    expect(csp).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
  });

  it("shows an execution's error with the line of the workflow it came from", async () => {
    const endpoint = await engine.request<{ id: string; urls: { kind: string; url: string }[] }>("POST", "/v1/inbound_endpoints", {
      body: { name: "Thrower", path: "/throw", method: "POST", access_level: "none" },
    });
    const code = `const workflow: EndpointWorkflow = async ({ utils }) => {\n  utils.log("about to fail");\n  throw new Error("no such order");\n};\nexport default workflow;\n`;
    await engine.request("PUT", `/v1/inbound_endpoints/${endpoint.body.id}/workflow`, { body: { code, publish: true } });
    const live = endpoint.body.urls.find((u) => u.kind === "live")!;
    const call = await fetch(live.url, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect([call.status, await call.text()]).toEqual([500, expect.stringContaining("workflow_error")]);

    const { page, errors, csp } = await signedIn();
    await page.goto(`${engine.api.url}/dashboard/inbound/${endpoint.body.id}`);
    const row = page.locator("table.executions tbody tr").first();
    await row.getByText("error").waitFor({ timeout: 15_000 });
    await row.getByRole("link").click();
    await page.getByTestId("execution-error").waitFor();
    expect(await page.getByTestId("execution-error").textContent()).toMatch(/no such order \(line 3/);
    expect(await page.getByRole("list", { name: "Log" }).textContent()).toContain("about to fail");
    expect(csp).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
  });

  it("lists integrations and shows one's versions, instances per customer and flow executions", async () => {
    const customer = await engine.request<{ id: string }>("POST", "/v1/customers", { body: { name: "Shop A", external_id: "shop-a" } });
    const integration = await engine.request<{ id: string }>("POST", "/v1/integrations", {
      body: { name: "Acme ERP", flows: [{ name: "Sync stock", code: "export default async ({ flow }) => ({ synced: flow.name })" }] },
    });
    expect(integration.status).toBe(201);
    await engine.request("POST", `/v1/integrations/${integration.body.id}/versions`);
    const instance = await engine.request<{ id: string; flows: { name: string; url?: string }[] }>("POST", "/v1/instances", {
      body: { integration_id: integration.body.id, version: 1, customer_id: customer.body.id, config: { SHOP: "a.example" } },
    });
    expect(instance.status).toBe(201);
    const called = await fetch(instance.body.flows[0]!.url!, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(called.status).toBe(200);

    const { page, errors, csp } = await signedIn();
    await page.getByRole("link", { name: "Integrations" }).click();
    await page.getByRole("heading", { name: "Integrations" }).waitFor();
    await page.getByRole("link", { name: "Acme ERP" }).click();
    await page.getByRole("heading", { name: "Acme ERP" }).waitFor();
    expect(await page.getByTestId("integration-versions").textContent()).toBe("v1");
    const instanceRow = page.locator("table.instances tbody tr").first();
    await instanceRow.waitFor();
    expect(await instanceRow.textContent()).toContain(customer.body.id);
    expect(await instanceRow.textContent()).toContain("SHOP=a.example");
    const run = page.locator("table.executions tbody tr").first();
    await run.getByText("succeeded").waitFor({ timeout: 15_000 });
    await run.getByRole("link").click();
    await page.getByRole("heading", { name: /Flow execution/ }).waitFor();
    expect(await page.locator("pre.json").first().textContent()).toContain('"synced": "Sync stock"');
    expect(csp).toEqual([]);
    expect(unexpected(errors)).toEqual([]);
  });
});
