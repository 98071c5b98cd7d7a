import { Scope, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten-core";
import { IMPORTS_UNAVAILABLE } from "./compile.js";
import { createHostObject, type HostSession } from "./host-functions.js";
import { PRELUDE_FILE, PRELUDE_SOURCE } from "./prelude/index.js";

/**
 * A runtime and context with the prelude evaluated. Creating one is most of a cold invocation's
 * cost (the prelude's compilation above all), and none of it depends on the invocation: a thread
 * prepares the next one while it is idle. The first invocation in it evaluates the workflow module;
 * after a clean ending the thread may keep it warm for the next invocation of the same tenant and
 * code (see warm-contexts.ts). The limits, the interrupt handler and the host session are set anew
 * by every invocation.
 */
export interface PreparedContext {
  runtime: QuickJSRuntime;
  vm: QuickJSContext;
  /** Owns the prelude's handles (an invocation's own handles live in a scope of its own). */
  scope: Scope;
  startFn: QuickJSHandle;
  describeFn: QuickJSHandle;
  /** The host functions reach the invocation through this: null while none runs. */
  session: { current: HostSession | null };
  /** Creation costs, reported by the first invocation only (0 afterwards). */
  setupMs: number;
  preludeMs: number;
  /** True once an invocation evaluated the workflow module here and ended cleanly: the prelude holds its namespace. */
  workflowLoaded: boolean;
}

export function prepareContext(module: QuickJSWASMModule): PreparedContext {
  const started = performance.now();
  const runtime = module.newRuntime();
  const scope = new Scope();
  try {
    // Static imports are refused at save time; this refuses dynamic import() and anything that slipped through.
    runtime.setModuleLoader(() => ({ error: new Error(IMPORTS_UNAVAILABLE) }));
    const vm = runtime.newContext();
    scope.manage(vm);
    const setupDone = performance.now();
    const session: PreparedContext["session"] = { current: null };
    const through: HostSession = {
      log: (level, message) => session.current?.log(level, message),
      call: (kind, payload) => {
        if (session.current === null) throw new Error("no invocation is running");
        return session.current.call(kind, payload);
      },
    };
    // The prelude is ours and runs before any tenant code: outside any tenant's CPU budget.
    const hostObject = scope.manage(createHostObject(vm, through));
    const preludeFn = scope.manage(vm.evalCode(PRELUDE_SOURCE, PRELUDE_FILE, { type: "global", strict: true }).unwrap());
    const internal = scope.manage(vm.callFunction(preludeFn, vm.undefined, hostObject).unwrap());
    const startFn = scope.manage(vm.getProp(internal, "start"));
    const describeFn = scope.manage(vm.getProp(internal, "describeError"));
    return {
      runtime,
      vm,
      scope,
      startFn,
      describeFn,
      session,
      setupMs: setupDone - started,
      preludeMs: performance.now() - setupDone,
      workflowLoaded: false,
    };
  } catch (error) {
    scope.dispose();
    runtime.dispose();
    throw error;
  }
}

/** Frees every handle, then the context (managed by the scope, last in, first out) and the runtime. */
export function disposePrepared(prepared: PreparedContext): void {
  prepared.session.current = null;
  prepared.scope.dispose();
  prepared.runtime.dispose();
}
