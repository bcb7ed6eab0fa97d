// WGSL target benchmarks: the workloads of the tfjs issue (W1, W1L, W2, W3, W4) through the
// generated kernels on Dawn (llvmpipe here, Vulkan on a GPU machine, see bench/gpu/), each in
// the kernel styles the generator offers, so the report says which style wins on this device.
//
// Every workload is its .eqv model in bench/models/ (shared with the tfjs suite). Items are
// edges (W1, W1L), rows (W2, W4) or vectors (W3); a run is a whole forward: host radius graph,
// uploads, every kernel, readback; for W1 and W1L the fused convolution kernel is also reported
// alone (`W1-kernel`). GFLOP/s counts the IR's useful flops
// (node `flops` times the rows of its domain, stdlib/nn/flops.ts). `conv ms` is the fused
// convolution kernel alone (timed by submitting each kernel separately).
//
// `tsx bench/workloads/wgsl.ts [--json] [--only W1,W4] [--edges-w1l N] [--styles all|default]`
// runs this suite on its own (bench/gpu/run.sh uses it); `npm run bench` includes it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../../compiler/compile.js';
import type { IRModule } from '../../ir/types.js';
import { createRng } from '../../stdlib/math/random.js';
import { ballPositions } from './sampling.js';
import type { RuntimeBatch } from '../../targets/io/inputs.js';
import { initialParams } from '../../targets/io/params.js';
import { planModule } from '../../targets/wgsl/lower.js';
import { DEFAULT_STYLE, type KernelStyle } from '../../targets/wgsl/plan.js';
import type { WgslDevice } from '../../targets/wgsl/host/device.js';
import { WgslModel, sharedDevice } from '../../targets/wgsl/host/model.js';
import { type BenchResult, renderTable } from '../report.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Workload {
  readonly id: string;
  readonly title: string;
  /** bench/models/<file>, shared with the tfjs suite. */
  readonly file: string;
  /** Which styles to compare, besides the default. */
  readonly styles: readonly { readonly name: string; readonly style: KernelStyle }[];
  batch(module: IRModule, size: number): RuntimeBatch;
  readonly size: number;
  readonly unit: string;
}

const STYLE_NAIVE_LINEAR: KernelStyle = { ...DEFAULT_STYLE, linear: 'naive' };
const STYLE_NAIVE_TP: KernelStyle = { ...DEFAULT_STYLE, tensorProduct: 'naive' };
const STYLE_UNFUSED: KernelStyle = { ...DEFAULT_STYLE, conv: 'unfused' };
const STYLE_UNFUSED_NAIVE: KernelStyle = { ...DEFAULT_STYLE, conv: 'unfused', tensorProduct: 'naive' };

/** `graphs` complete graphs of `k` nodes (every pair closer than r = 1): graphs * k * (k - 1) edges. */
function completeGraphs(module: IRModule, graphs: number, k: number, seed: number): RuntimeBatch {
  const rng = createRng(seed);
  const numNodes = graphs * k;
  const graphPtr = Int32Array.from({ length: graphs + 1 }, (_, g) => g * k);
  const nodeGraph = Int32Array.from({ length: numNodes }, (_, i) => Math.floor(i / k));
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    if (input.type.kind === 'points') {
      // Inside a ball of radius 0.45: all pairs are within 0.9 < r.
      values.set(input.name, ballPositions(rng, numNodes, 0.45));
    } else if (input.type.kind === 'field') {
      values.set(input.name, Float64Array.from({ length: numNodes * input.type.rep.dim }, () => rng.normal()));
    }
  }
  return { numGraphs: graphs, numNodes, graphPtr, nodeGraph, values, wrapped: true };
}

function rowsBatch(module: IRModule, rows: number, seed: number): RuntimeBatch {
  const rng = createRng(seed);
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    if (input.type.kind !== 'field') throw new Error('row workloads take node fields');
    values.set(input.name, Float64Array.from({ length: rows * input.type.rep.dim }, () => rng.normal()));
  }
  return { numGraphs: 1, numNodes: rows, graphPtr: Int32Array.from([0, rows]), nodeGraph: new Int32Array(rows), values, wrapped: false };
}

/** Nodes per complete graph for the conv workloads. */
const K_NODES = 32;

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'W1',
    title: 'W1 tp uvu 32x0e+32x1o+32x2e x sh(lmax 2), per-edge weights',
    file: 'w1.eqv',
    styles: [
      { name: 'unfused (gather, tp blocked, scatter)', style: STYLE_UNFUSED },
      { name: 'unfused (gather, tp naive, scatter)', style: STYLE_UNFUSED_NAIVE },
    ],
    batch: (m, edges) => completeGraphs(m, Math.max(1, Math.round(edges / (K_NODES * (K_NODES - 1)))), K_NODES, 1),
    size: 20_000,
    unit: 'edges',
  },
  {
    id: 'W1L',
    title: 'W1L tp uvu 128x0e+128x1o+128x2e x sh(lmax 3), per-edge weights',
    file: 'w1l.eqv',
    styles: [{ name: 'unfused (gather, tp blocked, scatter)', style: STYLE_UNFUSED }],
    batch: (m, edges) => completeGraphs(m, Math.max(1, Math.round(edges / (K_NODES * (K_NODES - 1)))), K_NODES, 2),
    size: 5_000,
    unit: 'edges',
  },
  {
    id: 'W2',
    title: 'W2 fctp 16x0e+16x1o+16x2e x itself -> itself',
    file: 'w2.eqv',
    styles: [{ name: 'naive tp', style: STYLE_NAIVE_TP }],
    batch: (m, rows) => rowsBatch(m, rows, 3),
    size: 2_000,
    unit: 'rows',
  },
  {
    id: 'W3',
    title: 'W3 spherical harmonics lmax 3',
    file: 'w3.eqv',
    styles: [],
    batch: (m, rows) => rowsBatch(m, rows, 4),
    size: 200_000,
    unit: 'vectors',
  },
  {
    id: 'W4',
    title: 'W4 linear 128x0e+64x1o+32x2e -> itself',
    file: 'w4.eqv',
    styles: [{ name: 'naive linear', style: STYLE_NAIVE_LINEAR }],
    batch: (m, rows) => rowsBatch(m, rows, 5),
    size: 20_000,
    unit: 'rows',
  },
];

/** The workload's model, bench/models/<file> (from the repository root, as the GPU bundle runs there too). */
export function workloadModule(w: Workload): IRModule {
  const candidates = [path.resolve('bench/models', w.file), path.join(here, '..', 'models', w.file)];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${w.id}: ${w.file} not found in bench/models (run from the repository root)`);
  const result = compileSource(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file));
  if (!result.ok || result.ir.length === 0) throw new Error(`${w.id}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.ir[0]!;
}

/** Useful flops of one forward over a batch: node flops times its domain's rows (scatter per edge, pool per node). */
export function forwardFlops(module: IRModule, batch: RuntimeBatch, edges: Readonly<Record<string, number>>): number {
  const edgeRows = new Map<string, number>();
  const graphOf = new Map<string, string>();
  for (const n of module.nodes) {
    if (n.op === 'radius_graph') graphOf.set(n.id, n.id);
    else if (n.op === 'gather' || n.op === 'edge_vectors' || n.op === 'scatter') graphOf.set(n.id, n.inputs[1]!);
    else if (n.op === 'attention') graphOf.set(n.id, n.inputs[2]!);
    else {
      const g = n.inputs.map((i) => graphOf.get(i)).find((x) => x);
      if (g) graphOf.set(n.id, g);
    }
  }
  for (const [g, e] of Object.entries(edges)) edgeRows.set(g, e);
  let total = 0;
  for (const n of module.nodes) {
    let rows: number;
    if (n.op === 'scatter') rows = edgeRows.get(n.inputs[1]!) ?? 0;
    else if (n.op === 'attention') rows = edgeRows.get(n.inputs[2]!) ?? 0;
    else if (n.op === 'pool') rows = batch.numNodes;
    else if (n.type.kind !== 'field') rows = 0;
    else rows = n.type.domain === 'node' ? batch.numNodes : n.type.domain === 'graph' ? batch.numGraphs : (edgeRows.get(graphOf.get(n.id) ?? '') ?? 0);
    total += n.flops * rows;
  }
  return total;
}

export interface WgslBenchOptions {
  readonly only?: readonly string[];
  /** Override a workload's size: `{ W1L: 50000 }`. */
  readonly sizes?: Readonly<Record<string, number>>;
  /** `all` (default) compares the styles; `default` runs only the generator's default. */
  readonly styles?: 'all' | 'default';
  readonly runs?: number;
  /** The device to run on (default: the shared one, Dawn's default backend then OpenGL). */
  readonly device?: WgslDevice;
}

export async function wgslBench(options: WgslBenchOptions = {}): Promise<BenchResult[]> {
  const gpu = options.device ?? (await sharedDevice({}, 8));
  const backend = gpu.description;
  const results: BenchResult[] = [];
  for (const w of WORKLOADS) {
    if (options.only && !options.only.includes(w.id)) continue;
    const module = workloadModule(w);
    const size = options.sizes?.[w.id] ?? w.size;
    const batch = w.batch(module, size);
    const params = initialParams(module, 0);
    const styles = [{ name: 'default', style: DEFAULT_STYLE }, ...(options.styles === 'default' ? [] : w.styles)];
    for (const { name, style } of styles) {
      const model = await WgslModel.create(planModule(module, style), { device: gpu });
      model.setParams(params);
      await model.run(batch); // compiles the kernels on the device (llvmpipe JIT) and warms the pool
      const runs = name === 'default' ? (options.runs ?? 5) : Math.min(options.runs ?? 3, 3);
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        await model.run(batch);
        times.push((performance.now() - t0) / 1000);
      }
      times.sort((a, b) => a - b);
      const seconds = times[Math.floor(times.length / 2)]!;
      const edges = model.lastRun?.edges ?? {};
      const items = w.unit === 'edges' ? Object.values(edges)[0] ?? 0 : batch.numNodes;
      const flops = forwardFlops(module, batch, edges);
      await model.run(batch, { profile: true });
      const kernelMs = model.lastRun?.kernelMs ?? {};
      const top = Object.entries(kernelMs)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 2)
        .map(([k, ms]) => `${k} ${ms.toFixed(1)} ms`)
        .join(', ');
      const conv = Object.entries(kernelMs).find(([k]) => k.endsWith('_conv'));
      if (conv && style.conv === 'fused') {
        // The fused convolution alone (gather + tensor product + segmented sum), comparable to a
        // tensor product timed on its own per-edge inputs.
        results.push({ workload: `${w.id}-kernel (${items} ${w.unit})`, target: 'wgsl', backend, seconds: conv[1] / 1000, items_per_s: items / (conv[1] / 1000), note: `${conv[0]}: the fused conv kernel alone` });
      }
      results.push({
        workload: `${w.id} (${items} ${w.unit})`,
        target: 'wgsl',
        backend,
        seconds,
        items_per_s: items / seconds,
        gflops: flops / seconds / 1e9,
        note: `${name}; slowest kernels: ${top}`,
      });
      model.destroy();
    }
  }
  return results;
}

/** The command line of this suite (also the GPU bundle's, bench/gpu/entry.ts). */
export async function wgslBenchMain(args: readonly string[], device?: WgslDevice): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes: Record<string, number> = {};
  for (const id of ['W1', 'W1L', 'W2', 'W3', 'W4']) {
    const v = arg(`--size-${id.toLowerCase()}`);
    if (v) sizes[id] = Number(v);
  }
  const results = await wgslBench({
    ...(arg('--only') ? { only: arg('--only')!.split(',') } : {}),
    sizes,
    styles: arg('--styles') === 'default' ? 'default' : 'all',
    ...(arg('--runs') ? { runs: Number(arg('--runs')) } : {}),
    ...(device ? { device } : {}),
  });
  process.stdout.write(args.includes('--json') ? JSON.stringify(results, null, 2) + '\n' : renderTable(results) + '\n');
}

// Run as a script (not when bundled into bench/gpu's wgsl-bench.mjs, whose entry passes the device).
const self = fileURLToPath(import.meta.url);
if (self.endsWith(path.join('workloads', 'wgsl.ts')) && process.argv[1] && path.resolve(process.argv[1]) === self) {
  await wgslBenchMain(process.argv.slice(2));
  process.exit(0);
}
