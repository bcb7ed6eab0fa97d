// wasm target benchmarks: the workloads W1-W4 (bench/models/, the same models and batches as
// the wgsl suite) as a whole forward through the wasm target (generated SIMD128 kernels,
// threads) in float32: radius graph, harmonics, radial basis and MLP, the fused convolution,
// copies in and out of wasm memory; and forward+backward (the forward, then the reverse sweep
// from Σ output to the model's feature input with the VJP kernels) where VJP kernels exist
// (W1, W1L, W2, W4). Beside each, in the same run on the same machine: e3nn 0.5.6 on PyTorch's
// CPU with 2 threads doing the same work (bench/e3nn/cpu.py; its docstring says what each row
// includes) when e3nn can be imported (EQV_E3NN_PYTHONPATH, else `/usr/bin/python3 -c "import
// e3nn"`), else the e3nn figures recorded in the issue, labelled as such; and the
// tfjs target's whole forward on tfjs's wasm backend (the CPU path eqv had). Median of 5 runs (3 for tfjs) after a
// warm-up that also compiles the kernels. `where` lists the largest shares of the time
// (kernel, copies, or an op run as JavaScript).
//
// glibc returns freed blocks above 32 MiB to the kernel, so every fresh output array of that
// size (W4's is 56 MB of float64) is paid again in page faults (measured ~450 ms for 56 MB at
// load 12 on this VM, against ~10 ms when reused); PyTorch's float32 tensors of these sizes stay
// under the threshold and are reused. The suite therefore runs itself in a child process with
// MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ / MALLOC_TOP_PAD_ set (e3nn gets the same
// environment), unless `--default-malloc` or those variables are already set.
//
// `tsx bench/workloads/wasm.ts [--json] [--only W1,W4] [--no-tfjs] [--no-e3nn] [--default-malloc]`;
// `npm run bench` includes it.

import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRunner } from '../../targets/registry.js';
import { initialParams } from '../../targets/io/params.js';
import { runWasmForwardBackward, runWasmModule, type WasmProfile } from '../../targets/wasm/evaluate.js';
import { defaultThreads, wasmRuntime } from '../../targets/wasm/runtime.js';
import { type BenchResult, renderTable } from '../report.js';
import { E3NN_ITEMS_PER_S } from './tfjs.js';
import { WORKLOADS, forwardFlops, workloadModule } from './wgsl.js';
import { findE3nnPython } from './e3nnPython.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const E3NN_KEY: Record<string, string> = { W1: 'W1 forward', W1L: 'W1L forward', W2: 'W2 fctp forward', W3: 'W3 spherical harmonics', W4: 'W4 linear forward' };
const E3NN_KEY_BACKWARD: Record<string, string> = { W1: 'W1 forward+backward' };
/** The model input the forward+backward rows differentiate with respect to (W3 has no VJP kernel). */
const WRT: Record<string, string> = { W1: 'h', W1L: 'h', W2: 'x', W4: 'x' };
const K_NODES = 32;
/** glibc: keep freed memory in the heap (see the header). */
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '4294967296', MALLOC_TOP_PAD_: '268435456' };

interface E3nnTimes {
  readonly items: number;
  readonly forward: number;
  readonly forward_backward?: number;
}

/** e3nn on this machine, now (bench/e3nn/cpu.py), or undefined with the reason when it cannot be imported or fails. */
export function measureE3nn(ids: readonly string[]): { times?: Record<string, E3nnTimes>; backend?: string; why?: string } {
  const found = findE3nnPython();
  if ('why' in found) return { why: found.why };
  const { python, env } = found;
  const r = spawnSync(python, [path.join(here, '..', 'e3nn', 'cpu.py'), ids.join(',')], { env, encoding: 'utf8', timeout: 1_800_000, maxBuffer: 1 << 20 });
  if (r.status !== 0) return { why: `bench/e3nn/cpu.py failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
  const json = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, E3nnTimes | string>;
  const { _backend, ...times } = json;
  return { times: times as Record<string, E3nnTimes>, backend: String(_backend) };
}

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

const whereFrom = (profile: WasmProfile, total: number) =>
  [...profile.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([k, ms]) => `${k} ${((100 * ms) / total).toFixed(0)}%`)
    .join(', ');

export async function wasmBench(options: { only?: readonly string[]; tfjs?: boolean; e3nn?: boolean } = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const threads = defaultThreads();
  const ids = WORKLOADS.map((w) => w.id).filter((id) => !options.only || options.only.includes(id));
  // e3nn first, in one process, on the same machine and (as near as can be) the same load.
  const e3nn = options.e3nn === false ? { why: 'e3nn not run (--no-e3nn)' } : measureE3nn(ids);
  for (const w of WORKLOADS) {
    if (!ids.includes(w.id)) continue;
    const module = workloadModule(w);
    const batch = w.batch(module, w.size);
    const params = initialParams(module, 0);
    const graphNode = module.nodes.find((n) => n.op === 'radius_graph');
    const edges = graphNode ? { [graphNode.id]: batch.numGraphs * K_NODES * (K_NODES - 1) } : {};
    const items = w.unit === 'edges' ? Object.values(edges)[0]! : batch.numNodes;
    const flops = forwardFlops(module, batch, edges);
    const measured = e3nn.times?.[w.id];
    if (measured && measured.items !== items) throw new Error(`${w.id}: e3nn ran ${measured.items} ${w.unit}, the wasm row ${items}`);
    const label = (pass: 'forward' | 'forward+backward') => `${w.id} ${pass} (${items} ${w.unit})`;
    const row = (pass: 'forward' | 'forward+backward', target: string, backend: string, seconds: number, note: string, withFlops = true): BenchResult => ({
      workload: label(pass),
      target,
      backend,
      seconds,
      items_per_s: items / seconds,
      ...(withFlops ? { gflops: flops / seconds / 1e9 } : {}),
      note,
    });
    const vsE3nn = (pass: 'forward' | 'forward+backward', seconds: number): string => {
      const e = pass === 'forward' ? measured?.forward : measured?.forward_backward;
      if (e !== undefined) return `${(e / seconds).toFixed(2)}x e3nn (same run)`;
      const recorded = E3NN_ITEMS_PER_S[(pass === 'forward' ? E3NN_KEY : E3NN_KEY_BACKWARD)[w.id] ?? ''];
      return recorded ? `${(items / seconds / recorded).toFixed(2)}x recorded e3nn (issue's figure, elsewhere)` : 'no e3nn figure';
    };
    if (measured) {
      results.push(row('forward', 'e3nn', e3nn.backend!, measured.forward, 'same work (bench/e3nn/cpu.py)'));
      if (measured.forward_backward !== undefined) results.push(row('forward+backward', 'e3nn', e3nn.backend!, measured.forward_backward, 'same work (bench/e3nn/cpu.py)', false));
    }
    let tfjsSeconds: number | undefined;
    if (options.tfjs !== false) {
      const tfjs = getRunner('tfjs')!;
      tfjsSeconds = await median(async () => void (await tfjs(module, batch, params, { backend: 'wasm' })), 3);
      results.push(row('forward', 'tfjs', 'tfjs wasm (baseline)', tfjsSeconds, 'whole forward, same batch'));
    }
    for (const t of threads > 1 ? [threads, 1] : [1]) {
      const rt = wasmRuntime(t);
      const seconds = await median(() => void runWasmModule(rt, module, batch, params), 5);
      const profile: WasmProfile = new Map();
      const t0 = performance.now();
      runWasmModule(rt, module, batch, params, profile);
      const where = whereFrom(profile, performance.now() - t0);
      const ratios = [vsE3nn('forward', seconds), tfjsSeconds ? `${(tfjsSeconds / seconds).toFixed(1)}x tfjs-wasm` : ''].filter(Boolean).join(', ');
      results.push(row('forward', 'wasm', `simd128, ${t} thread${t > 1 ? 's' : ''}`, seconds, `whole forward; ${ratios}; ${where}`));
    }
    const wrt = WRT[w.id];
    if (wrt) {
      const rt = wasmRuntime(threads);
      const output = module.outputs[0]!.name;
      const seconds = await median(() => void runWasmForwardBackward(rt, module, batch, params, output, wrt), 5);
      const profile: WasmProfile = new Map();
      const t0 = performance.now();
      runWasmForwardBackward(rt, module, batch, params, output, wrt, profile);
      const where = whereFrom(profile, performance.now() - t0);
      const what = w.unit === 'edges' ? `forward + d(Σ ${output})/d(${wrt}, harmonics, per-edge weights)` : `forward + d(Σ ${output})/d(${wrt}), weights' gradients not computed`;
      results.push(row('forward+backward', 'wasm', `simd128, ${threads} thread${threads > 1 ? 's' : ''}`, seconds, `${what}; ${vsE3nn('forward+backward', seconds)}; ${where}`, false));
    }
  }
  if (e3nn.why) results.push({ workload: 'e3nn', target: 'e3nn', backend: '-', seconds: 0, items_per_s: 0, note: `${e3nn.why}: ratios use the issue's recorded figures` });
  return results;
}

/** In a child process with glibc told to keep freed memory (see the header), unless already so or told not to. */
function inChild(args: readonly string[]): BenchResult[] | undefined {
  if (args.includes('--default-malloc') || process.env.MALLOC_TRIM_THRESHOLD_ !== undefined) return undefined;
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args.filter((a) => a !== '--json'), '--json'], {
    env: { ...process.env, ...MALLOC_ENV },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`the wasm suite's child process failed (${r.status})`);
  return JSON.parse(r.stdout) as BenchResult[];
}

/** The suite for `npm run bench`: in a child process with the malloc settings. */
export async function wasmSuite(): Promise<BenchResult[]> {
  return inChild([]) ?? (await wasmBench());
}

if (process.argv[1]?.endsWith('wasm.ts')) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--only');
  const results = inChild(args) ?? (await wasmBench({ ...(i >= 0 ? { only: args[i + 1]!.split(',') } : {}), tfjs: !args.includes('--no-tfjs'), e3nn: !args.includes('--no-e3nn') }));
  const malloc = process.env.MALLOC_TRIM_THRESHOLD_ !== undefined || !args.includes('--default-malloc') ? 'glibc malloc keeps freed memory (MALLOC_*_ set, e3nn too)' : 'default glibc malloc';
  if (args.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else process.stdout.write(`machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${malloc}\n\n${renderTable(results)}\n`);
  process.exit(0);
}
