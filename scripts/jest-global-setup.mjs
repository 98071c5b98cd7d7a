// Jest loads global setup outside its ESM module graph, so the TypeScript that builds the test
// template database runs in a child process under tsx instead. The web apps are built here too.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export default function globalSetup() {
  // The dashboard and the portal, which browser tests load from the API (esbuild: about a second).
  execFileSync(process.execPath, [join(root, "apps/web/build.mjs")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  execFileSync(
    process.execPath,
    ["--conditions=hookline-source", "--import", "tsx", join(root, "packages/testing/src/prepare-template.ts")],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
}
