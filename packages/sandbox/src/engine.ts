import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSSyncVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";

/**
 * The variant's types describe its CommonJS build (a `default` property); under Node's ESM loader
 * its default export is the variant itself. Accept both.
 */
function variantOf(value: unknown): QuickJSSyncVariant {
  const candidate = value as { type?: unknown; default?: unknown };
  if (candidate.type === "sync") return candidate as QuickJSSyncVariant;
  if (candidate.default !== undefined) return variantOf(candidate.default);
  throw new Error("@jitl/quickjs-wasmfile-release-sync did not export a QuickJS variant");
}
const RELEASE_SYNC = variantOf(releaseSync);

const PAGE_BYTES = 64 * 1024;
/** The module's own declared minimum (16 MiB: static data, the 5 MiB C stack, the start of the heap). */
const INITIAL_PAGES = 256;
/**
 * Room in the WebAssembly memory beyond the heap a workflow may use: the module's static data and
 * its 5 MiB C stack, and a margin for quickjs-emscripten's own allocations. This memory is the hard
 * cap on a workflow's heap: QuickJS's setMemoryLimit does not count bytes in this build.
 */
const OVERHEAD_BYTES = 8 * 1024 * 1024;
const NEAR_FULL = 0.9;

/**
 * One thread's QuickJS WebAssembly module. Its memory is a WebAssembly.Memory with a maximum, so
 * the heap cannot grow past it whatever QuickJS's own accounting says. A module that may be in a
 * bad state (an exception escaped the interpreter) is discarded and the next one starts clean.
 */
export class Engine {
  private current: Promise<QuickJSWASMModule> | undefined;
  private memory: WebAssembly.Memory | undefined;
  private readonly maximumPages: number;

  constructor(memoryBytes: number) {
    this.maximumPages = Math.max(INITIAL_PAGES, Math.ceil((memoryBytes + OVERHEAD_BYTES) / PAGE_BYTES));
  }

  module(): Promise<QuickJSWASMModule> {
    this.current ??= this.create();
    return this.current;
  }

  /**
   * True when the WebAssembly memory has grown to (nearly) its maximum. A thread discards its module
   * after any invocation that leaves the memory there, so during an invocation this means that
   * invocation filled it: an error then (even a thrown null, which is what QuickJS throws when it
   * cannot allocate the error itself) is the memory limit.
   */
  nearMemoryCap(): boolean {
    const memory = this.memory;
    // Emscripten grows by steps and gives up when a step would pass the maximum, so a full memory
    // can stop several MiB short of it.
    return memory !== undefined && memory.buffer.byteLength >= this.maximumPages * PAGE_BYTES * NEAR_FULL;
  }

  discard(): void {
    this.current = undefined;
    this.memory = undefined;
  }

  private async create(): Promise<QuickJSWASMModule> {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: this.maximumPages });
    this.memory = memory;
    return newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  }
}
