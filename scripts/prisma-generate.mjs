// Generates the Prisma client. The Prisma CLI downloads its schema engine before generating even
// though generation never runs it; where that download is impossible (no network), we point the
// CLI at a stand-in that only says the engine is unavailable, and generate again.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prismaCli = join(root, "node_modules", "prisma", "build", "index.js");
const args = [prismaCli, "generate", "--schema", join(root, "prisma", "schema.prisma")];

function generate(env) {
  return spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });
}

let result = generate({ ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" });
const downloadFailed = /binaries\.prisma\.sh|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|fetch failed/i.test(`${result.stdout}${result.stderr}`);
if (result.status !== 0 && downloadFailed && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.stdout.write("prisma-generate: schema engine cannot be downloaded here; generating without it\n");
  result = generate({
    ...process.env,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_SCHEMA_ENGINE_BINARY: join(root, "scripts", "no-schema-engine.sh"),
  });
}
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exit(result.status ?? 1);
