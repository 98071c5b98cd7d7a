// Jest loads global setup outside its ESM module graph, so the TypeScript that builds the test
// template database runs in a child process under tsx instead.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export default function globalSetup() {
  execFileSync(
    process.execPath,
    ["--conditions=hookline-source", "--import", "tsx", join(root, "packages/testing/src/prepare-template.ts")],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
}
