// The WebAssembly global of Node 20, as far as this package uses it. TypeScript's ES libraries do
// not describe it, and @types/node 20 does not either (it comes with lib "dom", which Node has not).
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
}
