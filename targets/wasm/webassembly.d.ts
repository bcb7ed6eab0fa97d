// The part of the WebAssembly JS API the wasm target uses. The project compiles against
// lib ES2022 and @types/node, neither of which declares the WebAssembly namespace (it is in
// lib.dom), so this file declares what Node 20 and browsers both provide.

declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: Uint8Array): boolean;
  function instantiate(bytes: Uint8Array, imports?: Record<string, Record<string, unknown>>): Promise<{ module: Module; instance: Instance }>;
}
