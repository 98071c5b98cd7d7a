import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";

const PAGE_BYTES = 64 * 1024;
/**
 * Room in the WebAssembly memory beyond the QuickJS heap limit: the module's static data and its
 * 5 MiB C stack, the allocations of quickjs-emscripten's glue, and a margin so that QuickJS's own
 * limit (setMemoryLimit, a catchable "out of memory") is normally what a workflow hits first.
 */
const OVERHEAD_BYTES = 24 * 1024 * 1024;

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
    this.maximumPages = Math.ceil((memoryBytes + OVERHEAD_BYTES) / PAGE_BYTES);
  }

  module(): Promise<QuickJSWASMModule> {
    this.current ??= this.create();
    return this.current;
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
