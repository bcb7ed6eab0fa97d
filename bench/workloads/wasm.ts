// wasm target benchmarks: the workloads W1-W4 (bench/models/, the same models and batches as
// the wgsl suite) as a whole forward through the wasm target (generated SIMD128 kernels,
// threads) in float32: radius graph, harmonics, radial basis and MLP, the fused convolution,
// copies in and out of wasm memory. Beside each, in the same run and on the same batch, the
// tfjs target's whole forward on tfjs's wasm backend (the existing CPU path), and the ratio to
// the e3nn figures recorded in the issue (e3nn is not installed on this machine: those
// figures are from elsewhere and time one node, not the whole forward). Median of 5 runs
// (3 for tfjs) after a warm-up that also compiles the kernels. `where` lists the largest
// shares of the time (kernel, copies, or an op run as JavaScript).
//
// `tsx bench/workloads/wasm.ts [--json] [--only W1,W4] [--no-tfjs]`; `npm run bench` includes it.

import * as os from 'node:os';
import { getRunner } from '../../targets/registry.js';
import { initialParams } from '../../targets/io/params.js';
import { runWasmModule, type WasmProfile } from '../../targets/wasm/evaluate.js';
import { defaultThreads, wasmRuntime } from '../../targets/wasm/runtime.js';
import { type BenchResult, renderTable } from '../report.js';
import { E3NN_ITEMS_PER_S } from './tfjs.js';
import { WORKLOADS, forwardFlops, workloadModule } from './wgsl.js';

const E3NN_KEY: Record<string, string> = { W1: 'W1 forward', W1L: 'W1L forward', W2: 'W2 fctp forward', W3: 'W3 spherical harmonics', W4: 'W4 linear forward' };
const K_NODES = 32;

async function median(fn: () => Promise<void> | void, runs: number): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

export async function wasmBench(options: { only?: readonly string[]; tfjs?: boolean } = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const threads = defaultThreads();
  for (const w of WORKLOADS) {
    if (options.only && !options.only.includes(w.id)) continue;
    const module = workloadModule(w);
    const batch = w.batch(module, w.size);
    const params = initialParams(module, 0);
    const graphNode = module.nodes.find((n) => n.op === 'radius_graph');
    const edges = graphNode ? { [graphNode.id]: batch.numGraphs * K_NODES * (K_NODES - 1) } : {};
    const items = w.unit === 'edges' ? Object.values(edges)[0]! : batch.numNodes;
    const flops = forwardFlops(module, batch, edges);
    const e3nn = E3NN_ITEMS_PER_S[E3NN_KEY[w.id]!];
    const row = (backend: string, seconds: number, note: string): BenchResult => ({
      workload: `${w.id} (${items} ${w.unit})`,
      target: backend.startsWith('tfjs') ? 'tfjs' : 'wasm',
      backend,
      seconds,
      items_per_s: items / seconds,
      gflops: flops / seconds / 1e9,
      note,
    });
    let tfjsSeconds: number | undefined;
    if (options.tfjs !== false) {
      const tfjs = getRunner('tfjs')!;
      tfjsSeconds = await median(async () => void (await tfjs(module, batch, params, { backend: 'wasm' })), 3);
      results.push(row('tfjs wasm (baseline)', tfjsSeconds, 'whole forward, same batch'));
    }
    for (const t of threads > 1 ? [threads, 1] : [1]) {
      const rt = wasmRuntime(t);
      const seconds = await median(() => void runWasmModule(rt, module, batch, params), 5);
      const profile: WasmProfile = new Map();
      const t0 = performance.now();
      runWasmModule(rt, module, batch, params, profile);
      const total = performance.now() - t0;
      const where = [...profile.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, ms]) => `${k} ${((100 * ms) / total).toFixed(0)}%`)
        .join(', ');
      const ratios = [tfjsSeconds ? `${(tfjsSeconds / seconds).toFixed(1)}x tfjs-wasm` : '', e3nn ? `${(items / seconds / e3nn).toFixed(2)}x recorded e3nn` : ''].filter(Boolean).join(', ');
      results.push(row(`simd128, ${t} thread${t > 1 ? 's' : ''}`, seconds, `${ratios}; ${where}`));
    }
  }
  return results;
}

if (process.argv[1]?.endsWith('wasm.ts')) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--only');
  const results = await wasmBench({ ...(i >= 0 ? { only: args[i + 1]!.split(',') } : {}), tfjs: !args.includes('--no-tfjs') });
  if (args.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else process.stdout.write(`machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n${renderTable(results)}\n`);
  process.exit(0);
}
