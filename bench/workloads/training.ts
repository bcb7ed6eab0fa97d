// Training-step benchmarks (issue 16): one step = forward, mean-squared loss against fixed
// random targets, backward, one Adam step (targets/tfjs/adam.ts, what `eqvc train` runs), on
// - W1 (bench/models/w1.eqv): 20 complete graphs of 32 nodes, 19840 edges; the parameters are
//   the radial MLP's weights;
// - NequIP (examples/nequip.eqv): 16 molecules of 24 atoms, every pair within the cutoff
//   (8832 edges), one-hot species; every weight trains.
// Each on the generated tfjs module: tfjs's own ops on its wasm backend (the default of `eqvc
// train`) and cpu backend, and with the wasm target's kernels as custom ops (`eqvc train
// --kernels wasm`) on both backends. Beside them, e3nn's same step (bench/e3nn/train_step.py,
// PyTorch CPU, 2 threads) when the Python of bench/workloads/e3nnPython.ts ($EQV_E3NN_PYTHON,
// $EQV_E3NN_PYTHONPATH) imports e3nn. Median of 3 steps after one warm-up step (which also
// compiles the kernels). `note` gives the ratio to tfjs-wasm and to e3nn, and the forward's
// share of the step.
//
// `tsx bench/workloads/training.ts [--json] [--only W1,NequIP] [--variants wasm,cpu,wasm+kernels,cpu+kernels] [--no-e3nn]`; `npm run bench -- --only training`.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { compileSource } from '../../compiler/compile.js';
import type { IRModule } from '../../ir/types.js';
import { createRng } from '../../stdlib/math/random.js';
import type { RuntimeBatch } from '../../targets/io/inputs.js';
import { initialParams } from '../../targets/io/params.js';
import { Adam } from '../../targets/tfjs/adam.js';
import { batchGraphs, batchValues } from '../../targets/tfjs/execute.js';
import { loadModel } from '../../targets/tfjs/load.js';
import { useBackend } from '../../targets/tfjs/ops/backend.js';
import { setKernelProvider } from '../../targets/tfjs/ops/kernelProvider.js';
import { assignParams } from '../../targets/tfjs/ops/weights.js';
import { defaultThreads, wasmRuntime } from '../../targets/wasm/runtime.js';
import { wasmKernelProvider } from '../../targets/wasm/tfjsOps.js';
import { type BenchResult, renderTable } from '../report.js';
import { findE3nnPython } from './e3nnPython.js';
import { ballPositions } from './sampling.js';

interface TrainingWorkload {
  readonly id: string;
  readonly file: string;
  readonly graphs: number;
  /** Nodes per graph, all within `radius` of the centre (every pair is an edge). */
  readonly k: number;
  readonly radius: number;
  /** What items/s counts. */
  readonly unit: 'edges' | 'molecules';
}

export const TRAINING_WORKLOADS: readonly TrainingWorkload[] = [
  { id: 'W1', file: 'bench/models/w1.eqv', graphs: 20, k: 32, radius: 0.45, unit: 'edges' },
  { id: 'NequIP', file: 'examples/nequip.eqv', graphs: 16, k: 24, radius: 1.2, unit: 'molecules' },
];

function compileFile(file: string): IRModule {
  const r = compileSource(fs.readFileSync(file, 'utf8'), file);
  if (!r.ok || r.ir.length === 0) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.ir[0]!;
}

/** Complete graphs: positions in balls of `radius`, one-hot species for a 4x0e input, N(0, 1) for other fields. */
function completeGraphs(module: IRModule, w: TrainingWorkload, seed: number): RuntimeBatch {
  const rng = createRng(seed);
  const numNodes = w.graphs * w.k;
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    if (input.type.kind === 'points') {
      values.set(input.name, ballPositions(rng, numNodes, w.radius));
    } else if (input.type.kind === 'field') {
      const dim = input.type.rep.dim;
      const x = new Float64Array(numNodes * dim);
      if (input.name === 'species') for (let i = 0; i < numNodes; i++) x[i * dim + Math.floor(rng.uniform() * dim)] = 1;
      else for (let i = 0; i < x.length; i++) x[i] = rng.normal();
      values.set(input.name, x);
    }
  }
  return {
    numGraphs: w.graphs,
    numNodes,
    graphPtr: Int32Array.from({ length: w.graphs + 1 }, (_, g) => g * w.k),
    nodeGraph: Int32Array.from({ length: numNodes }, (_, i) => Math.floor(i / w.k)),
    values,
    wrapped: true,
  };
}

interface Variant {
  readonly backend: 'wasm' | 'cpu';
  readonly kernels: boolean;
}

const VARIANTS: readonly Variant[] = [
  { backend: 'wasm', kernels: false },
  { backend: 'cpu', kernels: false },
  { backend: 'wasm', kernels: true },
  { backend: 'cpu', kernels: true },
];

/** Median seconds of a training step and of the forward alone. */
async function timeStep(module: IRModule, batch: RuntimeBatch, v: Variant, threads: number): Promise<{ step: number; forward: number; loss: number }> {
  await useBackend(v.backend);
  setKernelProvider(v.kernels ? wasmKernelProvider(wasmRuntime(threads)) : undefined);
  try {
    const model = await loadModel(module);
    assignParams(model.params, initialParams(module, 0));
    const inputs = model.makeInputs(batchValues(batch), batch.graphPtr, batchGraphs(batch));
    const rng = createRng(11);
    const targets = new Map<string, tf.Tensor2D>();
    for (const o of module.outputs) {
      if (o.type.kind !== 'field') continue;
      const rows = o.type.domain === 'graph' ? batch.numGraphs : batch.numNodes;
      targets.set(o.name, tf.tensor2d(Float32Array.from({ length: rows * o.type.rep.dim }, () => rng.normal()), [rows, o.type.rep.dim]));
    }
    const loss = () => {
      const out = model.forward(inputs);
      let s: tf.Scalar = tf.scalar(0);
      for (const [name, t] of targets) s = tf.add(s, tf.mean(tf.square(tf.sub(out[name]!, t)))) as tf.Scalar;
      return s;
    };
    const trainable = Object.fromEntries(Object.entries(model.params).filter(([name]) => !model.paramSpecs.find((p) => p.name === name && (p as { running?: boolean }).running)));
    const adam = new Adam(trainable, 0.01);
    let last = 0;
    const step = () => {
      last = adam.minimize(loss);
    };
    const forward = () => tf.tidy(() => void loss().dataSync());
    // The first step (below) is the warm-up of both: it compiles every kernel.
    const median = (fn: () => void, runs: number) => {
      const t: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        fn();
        t.push((performance.now() - t0) / 1000);
      }
      t.sort((a, b) => a - b);
      return t[Math.floor(t.length / 2)]!;
    };
    const t0 = performance.now();
    step();
    process.stderr.write(`  first step (kernels compiled) ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
    const stepSeconds = median(step, 3);
    const forwardSeconds = median(forward, 3);
    adam.dispose();
    tf.dispose([...Object.values(inputs).filter((t): t is tf.Tensor2D => t instanceof tf.Tensor), ...targets.values(), ...Object.values(model.params)]);
    return { step: stepSeconds, forward: forwardSeconds, loss: last };
  } finally {
    setKernelProvider(undefined);
  }
}

/** e3nn's rows from bench/e3nn/train_step.py, or undefined (with the reason on stderr) when e3nn cannot be imported. */
async function e3nnRows(ids: readonly string[]): Promise<BenchResult[] | undefined> {
  const found = findE3nnPython();
  if ('why' in found) {
    process.stderr.write(`training: no e3nn rows (${found.why})\n`);
    return undefined;
  }
  const { python, env } = found;
  const script = path.resolve('bench/e3nn/train_step.py');
  try {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(python, [script, ids.join(',')], { env, maxBuffer: 1 << 20, timeout: 900_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr.trim().split('\n').pop() || error.message)) : resolve(stdout))),
    );
    const rows = JSON.parse(out) as BenchResult[];
    for (const r of rows) process.stderr.write(`  ${r.workload} | e3nn ${r.backend} | ${(1000 * r.seconds).toFixed(0)} ms\n`);
    return rows;
  } catch (e) {
    process.stderr.write(`training: no e3nn rows (${(e as Error).message})\n`);
    return undefined;
  }
}

export async function trainingBench(options: { only?: readonly string[]; e3nn?: boolean; variants?: readonly string[] } = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // Each row also goes to stderr as it is measured (a long run under load still reports).
  const push = (r: BenchResult) => {
    results.push(r);
    process.stderr.write(`  ${r.workload} | ${r.target} ${r.backend} | ${(1000 * r.seconds).toFixed(0)} ms | ${r.items_per_s.toPrecision(3)}/s | ${r.note ?? ''}\n`);
  };
  const threads = defaultThreads();
  const workloads = TRAINING_WORKLOADS.filter((w) => !options.only || options.only.includes(w.id));
  // e3nn first, while nothing else of this process runs (its threads and ours share the cores).
  const e3nn = options.e3nn === false ? undefined : await e3nnRows(workloads.map((w) => w.id));
  for (const w of workloads) {
    const module = compileFile(w.file);
    const batch = completeGraphs(module, w, 1);
    const edges = w.graphs * w.k * (w.k - 1);
    const items = w.unit === 'edges' ? edges : w.graphs;
    const label = w.unit === 'edges' ? `${w.id} train step (${edges} edges)` : `${w.id} train step (${w.graphs} molecules, ${w.graphs * w.k} atoms, ${edges} edges)`;
    const e3 = e3nn?.find((r) => r.workload.startsWith(`${w.id} `));
    let baseline: number | undefined;
    for (const v of VARIANTS) {
      if (options.variants && !options.variants.includes(`${v.backend}${v.kernels ? '+kernels' : ''}`)) continue;
      process.stderr.write(`training: ${w.id} on tfjs ${v.backend}${v.kernels ? ' + wasm kernels' : ''}...\n`);
      const t = await timeStep(module, batch, v, threads);
      if (!v.kernels && v.backend === 'wasm') baseline = t.step;
      const ratios = [baseline && (v.kernels || v.backend !== 'wasm') ? `${(baseline / t.step).toFixed(2)}x tfjs-wasm` : '', e3 ? `${(e3.seconds / t.step).toFixed(2)}x e3nn` : ''].filter(Boolean).join(', ');
      push({
        workload: label,
        target: 'tfjs',
        backend: `${v.backend}${v.kernels ? ` + wasm kernels (${threads} thread${threads > 1 ? 's' : ''})` : ''}`,
        seconds: t.step,
        items_per_s: items / t.step,
        note: `${ratios ? `${ratios}; ` : ''}forward ${((100 * t.forward) / t.step).toFixed(0)}% of the step; loss ${t.loss.toPrecision(4)}`,
      });
    }
    if (e3) push({ ...e3, workload: label, note: `${e3.note ?? ''}${baseline ? `; ${(baseline / e3.seconds).toFixed(2)}x tfjs-wasm` : ''}` });
  }
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyIdx = args.indexOf('--only');
  const only = onlyIdx >= 0 ? args[onlyIdx + 1]?.split(',') : undefined;
  const variantsIdx = args.indexOf('--variants');
  const variants = variantsIdx >= 0 ? args[variantsIdx + 1]?.split(',') : undefined;
  const results = await trainingBench({ ...(only ? { only } : {}), ...(variants ? { variants } : {}), e3nn: !args.includes('--no-e3nn') });
  if (args.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else process.stdout.write(renderTable(results) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('bench', 'workloads', 'training.ts'))) await main();
