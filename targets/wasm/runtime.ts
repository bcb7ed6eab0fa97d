// One wasm runtime per process: the linear memory every kernel uses (shared with the thread
// pool where threads exist), a bump allocator reset per node, and compiled kernels cached by
// their bytes' key (the same node at the same addresses and sizes compiles once).

import * as os from 'node:os';
import { encodeModule, type FunctionDef } from './encoder/module.js';
import { type Kernel, ThreadPool, threadsAvailable } from './threads.js';

const PAGE = 65536;
/** Compiled kernels kept at most. */
export const MAX_KERNELS = 512;
/** The shared memory's maximum (a shared memory must declare one): 2 GiB. */
const MAX_PAGES = 32768;

export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly pool: ThreadPool;
  private top = 0;
  private readonly kernels = new Map<string, Kernel>();
  private nextId = 1;

  constructor(readonly threads: number) {
    const shared = threads > 1;
    this.memory = new WebAssembly.Memory(shared ? { initial: 16, maximum: MAX_PAGES, shared: true } : { initial: 16, maximum: MAX_PAGES });
    this.pool = new ThreadPool(this.memory, threads);
  }

  /** Forgets every allocation (values do not outlive the node that uses them). */
  reset(): void {
    this.top = 0;
  }

  /** Where the arena's top is, to give back what a step allocated after it (release). */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** A 16-byte aligned block of `bytes`, growing the memory when needed. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    const need = Math.ceil(this.top / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (need > have) {
      if (need > MAX_PAGES) throw new Error(`the wasm target needs ${(this.top / 2 ** 30).toFixed(2)} GiB for one node; the limit is 2 GiB`);
      this.memory.grow(need - have);
    }
    return at;
  }

  /** Kernels compiled so far (tests check that a node ran as a kernel). */
  get kernelCount(): number {
    return this.nextId - 1;
  }

  /** A float view of the whole memory (taken after allocating: growing replaces the buffer). */
  get f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /**
   * A fresh float64 array holding the `n` float32 values at byte `ptr` (a kernel's float32 rows):
   * Float64Array.set converts float32 as fast as it copies float64, and the kernel writes half
   * the bytes. In Node the array's memory comes from Buffer.allocUnsafeSlow, not zero-filled
   * first: the copy writes every byte, and for large outputs (W3's 25.6 MB) the zero-fill was a
   * pass as long as the copy itself. Elsewhere (browsers) a plain Float64Array.
   */
  copyOutFloat32(ptr: number, n: number): Float64Array {
    const out = typeof Buffer === 'function' && n > 0 ? bufferFloat64(n) : new Float64Array(n);
    out.set(new Float32Array(this.memory.buffer, ptr, n));
    return out;
  }

  /** The kernel `fn` in a module of its own, compiled once per key. */
  kernel(key: string, fn: () => FunctionDef): Kernel {
    let k = this.kernels.get(key);
    if (!k) {
      // Addresses and sizes are baked in, so a long run over many batch shapes would keep
      // compiling: forget them all past a bound (workers do the same, threads.ts).
      if (this.kernels.size >= MAX_KERNELS) this.kernels.clear();
      const def = fn();
      const bytes = encodeModule(this.pool.threads > 1 ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1, maximum: MAX_PAGES }, [def]);
      const module = new WebAssembly.Module(bytes);
      const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
      k = { id: this.nextId++, module, instance, name: def.name };
      this.kernels.set(key, k);
    }
    return k;
  }
}

/** An uninitialized float64 array of its own (allocUnsafeSlow is never pooled: offset 0, aligned). */
function bufferFloat64(n: number): Float64Array {
  const b = Buffer.allocUnsafeSlow(8 * n);
  return new Float64Array(b.buffer, b.byteOffset, n);
}

const runtimes = new Map<number, WasmRuntime>();

/** Threads to use: EQV_WASM_THREADS, else one per core; 1 where threads are unavailable. */
export function defaultThreads(): number {
  if (!threadsAvailable()) return 1;
  const env = Number(process.env.EQV_WASM_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export function wasmRuntime(threads = defaultThreads()): WasmRuntime {
  let r = runtimes.get(threads);
  if (!r) {
    r = new WasmRuntime(threads);
    runtimes.set(threads, r);
  }
  return r;
}
