import { initSync, parse } from "es-module-lexer";
import { transform } from "sucrase";
import type { CompileProblem } from "./types.js";

export const IMPORTS_UNAVAILABLE = "imports are not available in workflows";
export const NO_DEFAULT_EXPORT = "the workflow has no default export: end it with `export default workflow;`";

/** es-module-lexer's WebAssembly is tiny; compiling it once, synchronously, keeps compileWorkflow synchronous. */
let lexerReady = false;
function lexer(): typeof parse {
  if (!lexerReady) {
    initSync();
    lexerReady = true;
  }
  return parse;
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

interface SucraseSyntaxError {
  message: string;
  loc?: { line: number; column: number };
}

const isSucraseError = (error: unknown): error is SucraseSyntaxError =>
  error instanceof Error && typeof (error as { loc?: unknown }).loc === "object";

/**
 * Compiles a workflow at save time, in the caller's thread. Only TypeScript syntax is stripped
 * (sucrase's "typescript" transform keeps every line where it was, so runtime errors point at the
 * tenant's own lines); modern JavaScript is left for QuickJS, which supports it. Imports of any
 * kind are refused here, and again at run time by a module loader that refuses everything.
 */
export function compileWorkflow(source: string): { ok: true; js: string } | { ok: false; problems: CompileProblem[] } {
  if (typeof source !== "string") return { ok: false, problems: [{ message: "the workflow source must be a string", line: 1, column: 1 }] };
  let js: string;
  try {
    // keepUnusedImports: an import sucrase would drop as unused (or as used for types only) is still
    // an import the tenant wrote, and is reported like any other; `import type` lines are removed.
    js = transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (error) {
    if (isSucraseError(error)) {
      // Sucrase appends " (line:column)" to its message; `loc` has the same 1-based numbers.
      const message = error.message.replace(/ \(\d+:\d+\)$/, "");
      return { ok: false, problems: [{ message, line: error.loc?.line ?? 1, column: error.loc?.column ?? 1 }] };
    }
    return { ok: false, problems: [{ message: error instanceof Error ? error.message : String(error), line: 1, column: 1 }] };
  }

  let imports: ReturnType<typeof parse>[0];
  let exports: ReturnType<typeof parse>[1];
  try {
    [imports, exports] = lexer()(js, "workflow.ts");
  } catch (error) {
    const idx = (error as { idx?: unknown }).idx;
    const at = typeof idx === "number" ? positionOf(js, idx) : { line: 1, column: 1 };
    return { ok: false, problems: [{ message: "the workflow could not be read as a module", ...at }] };
  }

  const problems: CompileProblem[] = [];
  for (const entry of imports) {
    // d === -2 is `import.meta`, which is not an import (QuickJS gives it a url and nothing else).
    if (entry.d === -2) continue;
    problems.push({ message: IMPORTS_UNAVAILABLE, ...positionOf(js, entry.ss) });
  }
  if (!exports.some((entry) => entry.n === "default")) {
    problems.push({ message: NO_DEFAULT_EXPORT, line: 1, column: 1 });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, js };
}
