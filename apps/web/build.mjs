// Bundles the dashboard and the portal (Preact, the SDK) into dist/assets with esbuild, and
// copies the stylesheet. Nothing is fetched from a CDN at run time: the API serves these files.
// `node build.mjs --outdir <dir>` builds elsewhere (the test suite builds once into a temp dir).
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf("--outdir");
const outdir = at > 0 ? process.argv[at + 1] : join(here, "dist", "assets");

// Chunk names carry hashes: start empty so old chunks do not pile up.
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { dashboard: join(here, "src/dashboard/main.tsx"), portal: join(here, "src/portal/main.tsx") },
  outdir,
  bundle: true,
  format: "esm",
  splitting: true,
  chunkNames: "chunk-[hash]",
  target: ["es2022"],
  platform: "browser",
  // The SDK's package exports its TypeScript source under this condition.
  conditions: ["hookline-source"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  logLevel: "warning",
});
await copyFile(join(here, "src/styles.css"), join(outdir, "styles.css"));
