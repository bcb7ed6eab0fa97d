// Threads for the generated kernels: worker_threads sharing one WebAssembly.Memory (a
// SharedArrayBuffer). A kernel is `run(r0, r1)` over rows; the rows are cut into one range per
// thread (multiples of 4, so no two threads touch the same v128) and every kernel writes only
// its own rows, so no float needs an atomic. The calling thread computes the first range while
// the workers compute theirs, then blocks on a shared flag per worker (Atomics.wait) until
// each has stored 1 and notified. Where SharedArrayBuffer or worker_threads is missing (a
// browser without cross-origin isolation), the pool has one thread: the caller.

import { Worker } from 'node:worker_threads';

// The worker is plain JavaScript (evaluated, so it needs no TypeScript loader): instances by
// kernel id, built on first use from the module the first request carries.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { memory, flags, index } = workerData;
const instances = new Map();
parentPort.on('message', (m) => {
  try {
    let inst = instances.get(m.id);
    if (!inst) {
      if (instances.size >= 512) instances.clear();
      inst = new WebAssembly.Instance(m.module, { env: { memory } });
      instances.set(m.id, inst);
    }
    inst.exports[m.name](m.r0, m.r1);
    Atomics.store(flags, index, 1);
  } catch (e) {
    Atomics.store(flags, index, 2);
    parentPort.postMessage(String(e && e.stack || e));
  }
  Atomics.notify(flags, index);
});
`;

export interface Kernel {
  readonly id: number;
  readonly module: WebAssembly.Module;
  readonly instance: WebAssembly.Instance;
  readonly name: string;
}

export class ThreadPool {
  private readonly workers: Worker[] = [];
  private readonly flags: Int32Array;
  /** Kernel ids each worker has been sent. */
  private readonly known: Set<number>[] = [];
  private lastError = '';
  /** Below this many rows per thread a kernel runs on the calling thread alone (a message costs ~50 us). */
  minRowsPerThread = 256;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.flags = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads)));
    for (let i = 1; i < threads; i++) {
      const w = new Worker(WORKER, { eval: true, workerData: { memory, flags: this.flags, index: i } });
      w.on('message', (m: string) => (this.lastError = m));
      w.unref();
      this.workers.push(w);
      this.known.push(new Set());
    }
  }

  /**
   * Runs kernel(r0, r1) over [0, rows) (rows a multiple of 4), split across the threads when
   * there are enough rows; `work` (default rows) is what the split counts, in rows' worth (a
   * segment sum's node owns its run of edges: its work is the edge count).
   */
  run(kernel: Kernel, rows: number, work = rows): void {
    const fn = kernel.instance.exports[kernel.name] as (r0: number, r1: number) => void;
    const parts = Math.max(1, Math.min(this.threads, Math.floor(rows / 4), Math.floor(work / this.minRowsPerThread)));
    if (parts === 1) {
      fn(0, rows);
      return;
    }
    const cut = (k: number) => Math.min(rows, 4 * Math.round((rows * k) / parts / 4));
    for (let k = 1; k < parts; k++) {
      const w = this.workers[k - 1]!;
      Atomics.store(this.flags, k, 0);
      const known = this.known[k - 1]!;
      const first = !known.has(kernel.id);
      if (first) {
        if (known.size >= 512) known.clear();
        known.add(kernel.id);
      }
      w.postMessage({ id: kernel.id, module: first ? kernel.module : undefined, name: kernel.name, r0: cut(k), r1: cut(k + 1) });
    }
    fn(0, cut(1));
    let failed = false;
    for (let k = 1; k < parts; k++) {
      Atomics.wait(this.flags, k, 0);
      if (Atomics.load(this.flags, k) === 2) failed = true;
    }
    if (failed) throw new Error(`wasm kernel ${kernel.name} failed in a worker thread${this.lastError ? `: ${this.lastError}` : ''}`);
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/** Whether this runtime can share a memory with worker threads. */
export function threadsAvailable(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined';
}
