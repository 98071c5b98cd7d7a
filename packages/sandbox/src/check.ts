import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from "quickjs-emscripten-core";
import { IMPORTS_UNAVAILABLE } from "./compile.js";
import { WORKFLOW_FILE } from "./stack.js";
import type { CompileProblem } from "./types.js";

/** An import the check appends: the module loader refuses it, so linking fails before any line runs. */
const SENTINEL = "hookline:check-only";
const CHECK_MEMORY_BYTES = 32 * 1024 * 1024;
const CHECK_MS = 2000;

/**
 * QuickJS's own syntax check of a workflow, as a module, without running it. quickjs-emscripten's
 * evalCode with `compileOnly` and `type: "module"` reads an uninitialized module pointer in 0.32
 * (QTS_Eval only sets it on the evaluating path), so instead the source gets one more import on a
 * line of its own at the end: QuickJS parses the whole module first (reporting syntax errors with
 * their line and column), then resolves its imports, where the loader refuses the sentinel, and
 * nothing is evaluated. Lines before the appended one keep their numbers.
 */
export function checkModule(module: QuickJSWASMModule, js: string): CompileProblem[] {
  const runtime = module.newRuntime();
  try {
    runtime.setMemoryLimit(CHECK_MEMORY_BYTES);
    const deadline = performance.now() + CHECK_MS;
    runtime.setInterruptHandler(() => performance.now() > deadline);
    let sentinelReached = false;
    runtime.setModuleLoader((name) => {
      if (name === SENTINEL) sentinelReached = true;
      return { error: new Error(name === SENTINEL ? "check only" : IMPORTS_UNAVAILABLE) };
    });
    const ctx = runtime.newContext();
    try {
      const result = ctx.evalCode(`${js}\nimport ${JSON.stringify(SENTINEL)};`, WORKFLOW_FILE, { type: "module" });
      if (!result.error) {
        // Cannot happen: the sentinel import always fails. Nothing to report.
        result.value.dispose();
        return [];
      }
      const error = result.error;
      try {
        if (sentinelReached) return [];
        return [describeSyntaxError(ctx, error)];
      } finally {
        error.dispose();
      }
    } finally {
      ctx.dispose();
    }
  } finally {
    runtime.dispose();
  }
}

/** The error of a parse: QuickJS sets lineNumber and columnNumber on it. No tenant code has run, so reading it is safe. */
function describeSyntaxError(ctx: QuickJSContext, error: QuickJSHandle): CompileProblem {
  const read = (key: string): string | number | undefined => {
    const value = ctx.getProp(error, key);
    try {
      const type = ctx.typeof(value);
      return type === "string" ? ctx.getString(value) : type === "number" ? ctx.getNumber(value) : undefined;
    } finally {
      value.dispose();
    }
  };
  const name = read("name");
  const message = read("message");
  const line = read("lineNumber");
  const column = read("columnNumber");
  return {
    message: `${typeof name === "string" ? name : "SyntaxError"}: ${typeof message === "string" ? message : "invalid module"}`,
    line: typeof line === "number" && line > 0 ? line : 1,
    column: typeof column === "number" && column > 0 ? column : 1,
  };
}
