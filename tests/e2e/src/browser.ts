import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core: nothing is
 * downloaded. The flags keep it off the network it cannot reach here (background services,
 * component updates), and `--no-sandbox` lets it run as root in CI containers.
 */
/** A journey through pages waits on the browser, the API and a worker at once: slower under load. */
export const BROWSER_TEST_MS = 60_000;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export interface PageProblems {
  /** Console errors and uncaught exceptions of the page, and content-policy violations. */
  readonly errors: string[];
}

/** A fresh browser profile (no cookies) with the page's errors collected, so a test can insist on none. */
export async function newPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}) {
  const context: BrowserContext = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  const page: Page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on("pageerror", (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.errors.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/**
 * Opens the dashboard and signs in with an API key or the admin token, then waits for a link of
 * the signed-in app's navigation (`landmark`).
 */
export async function signInToDashboard(page: Page, apiUrl: string, credential: string, landmark = "Endpoints"): Promise<void> {
  await page.goto(`${apiUrl}/dashboard`);
  await page.getByLabel("API key or admin token").fill(credential);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: landmark }).waitFor();
}
