import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

// Building takes several seconds of CPU on a small machine.
test("the built package runs its threads from dist with plain node", () => {
  execFileSync(process.execPath, [tsc, "-p", join(packageDir, "tsconfig.build.json")], { cwd: packageDir, stdio: "inherit" });
  const output = execFileSync(process.execPath, [join(packageDir, "test", "dist-smoke.mjs")], {
    cwd: packageDir,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(JSON.parse(output)).toEqual({ hello: { outcome: "ok", body: "hello world" }, loop: "cpu_limit" });
}, 120_000);
