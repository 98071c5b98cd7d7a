import { fileURLToPath } from "node:url";

/**
 * Where apps/web's build.mjs writes the dashboard and the portal: beside this app in the
 * repository (the same path from src/ui and dist/ui). apps/web is a sibling, not a package
 * dependency: the SDK's tests start this API, and the web apps import the SDK, so a dependency
 * would be a cycle.
 */
export const WEB_ASSETS_DIR = fileURLToPath(new URL("../../../web/dist/assets/", import.meta.url));

export type WebApp = "dashboard" | "portal";

export interface ShellOptions {
  readonly app: WebApp;
  /** Where the app's assets are served, ending in `/`: `/dashboard/assets/`. */
  readonly assetsPath: string;
  readonly title: string;
}

const escapeAttribute = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * The one HTML page of each app: no inline script or style, so the Content-Security-Policy can
 * forbid both. Everything else is drawn by the app's script from the API.
 */
export function pageShell(options: ShellOptions): string {
  const assets = escapeAttribute(options.assetsPath);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeAttribute(options.title)}</title>
<link rel="stylesheet" href="${assets}styles.css">
<link rel="icon" href="data:,">
<script type="module" src="${assets}${options.app}.js"></script>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
<noscript>The ${options.app} needs JavaScript.</noscript>
</body>
</html>
`;
}
