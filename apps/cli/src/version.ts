import { createRequire } from "node:module";

/** The package's own version, so `hookline --version` never drifts from package.json. */
export const CLI_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
