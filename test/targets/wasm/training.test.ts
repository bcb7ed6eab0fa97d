// Training on the wasm kernels (targets/wasm/tfjsOps.ts): with the provider installed, the
// tfjs module's tensor products, linear maps, MLP layers and spherical harmonics run as the
// generated kernels with kernel gradients. Their parameter gradients agree with central
// finite differences of the float64 reference to 1e-5 of each parameter's largest gradient
// (tetris, and NequIP's convolutions), and `eqvc train --kernels wasm` follows tfjs's own
// loss trajectory.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { loadModel, type GeneratedModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { kernelProvider, setKernelProvider } from '../../../targets/tfjs/ops/kernelProvider.js';
import { assignParams } from '../../../targets/tfjs/ops/weights.js';
import { batchValues } from '../../../targets/tfjs/runner.js';
import { wasmRuntime } from '../../../targets/wasm/runtime.js';
import { strideOf, useWasmKernels, wasmKernelProvider } from '../../../targets/wasm/tfjsOps.js';
import { eqvc } from '../../cli/harness.js';
import { randomBatch } from '../tfjs/helpers.js';

const rt = wasmRuntime(2);

function objectiveRef(module: IRModule, batch: RuntimeBatch, params: Map<string, Float64Array>, c: Map<string, Float64Array>): number {
  let s = 0;
  for (const [name, v] of evaluate(module, batch, params)) v.forEach((x, i) => (s += x * c.get(name)![i]!));
  return s;
}

/** Gradients of Σ c · outputs with respect to every parameter, by name. */
function tfGradients(model: GeneratedModel, batch: RuntimeBatch, c: Map<string, Float64Array>): Map<string, Float32Array> {
  const { grads } = tf.variableGrads(() => {
    let s: tf.Scalar = tf.scalar(0);
    for (const [name, t] of Object.entries(model.forward(model.makeInputs(batchValues(batch), batch.graphPtr)))) s = tf.add(s, tf.sum(tf.mul(t, tf.tensor(Float32Array.from(c.get(name)!), t.shape)))) as tf.Scalar;
    return s;
  });
  const byVar = new Map(Object.entries(model.params).map(([name, v]) => [v.name, name]));
  return new Map(Object.entries(grads).map(([varName, g]) => [byVar.get(varName)!, g.dataSync() as Float32Array]));
}

const H = 1e-5;

describe('training on the wasm kernels', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => setKernelProvider(undefined));

  for (const { file, sizes } of [
    { file: 'examples/tetris.eqv', sizes: [4, 5] },
    { file: 'examples/nequip.eqv', sizes: [5, 3] },
  ]) {
    it(`${file}: parameter gradients match the float64 reference's to 1e-5`, async () => {
      const module = compile(file).ir[0]!;
      const batch = randomBatch(module, sizes, 5, 1.6);
      const params = initialParams(module, 2);
      const rng = createRng(99);
      const c = new Map([...evaluate(module, batch, params)].map(([name, v]) => [name, v.map(() => rng.normal())]));
      const model = await loadModel(module);
      assignParams(model.params, params);
      const before = rt.kernelCount;
      setKernelProvider(wasmKernelProvider(rt));
      let grads: Map<string, Float32Array>;
      try {
        grads = tfGradients(model, batch, c);
      } finally {
        setKernelProvider(undefined);
      }
      // The kernels ran (forward and backward kernels were compiled for this model).
      expect(rt.kernelCount).toBeGreaterThan(before);
      let checked = 0;
      for (const p of module.params) {
        const g = grads.get(p.name)!;
        const n = g.length;
        const scale = Math.max(...g.map(Math.abs));
        expect(scale, `${p.name} has a gradient`).toBeGreaterThan(0);
        for (const i of [0, Math.floor(n / 2), n - 1]) {
          const shifted = (h: number) => {
            const q = new Map(params);
            q.set(p.name, params.get(p.name)!.map((v, j) => (j === i ? v + h : v)));
            return objectiveRef(module, batch, q, c);
          };
          const fd = (shifted(H) - shifted(-H)) / (2 * H);
          expect(Math.abs(g[i]! - fd), `${p.name}[${i}]: kernels ${g[i]} vs reference ${fd}`).toBeLessThan(1e-5 * scale);
          checked++;
        }
      }
      expect(checked).toBe(3 * module.params.length);
    }, 120_000);
  }

  it('useWasmKernels (eqv/wasm) switches a loaded module to the kernels and back', async () => {
    const module = compile('examples/tetris.eqv').ir[0]!;
    const batch = randomBatch(module, [4], 3, 1.6);
    const model = await loadModel(module);
    assignParams(model.params, initialParams(module, 1));
    const run = () => Float64Array.from(tf.tidy(() => Float32Array.from(Object.values(model.forward(model.makeInputs(batchValues(batch), batch.graphPtr)))[0]!.dataSync())));
    const plain = run();
    useWasmKernels(true, 1);
    expect(kernelProvider()?.name).toBe('wasm (1 thread)');
    const before = wasmRuntime(1).kernelCount;
    const fast = run();
    expect(wasmRuntime(1).kernelCount).toBeGreaterThan(before);
    useWasmKernels(false);
    expect(kernelProvider()).toBeUndefined();
    const ref = [...evaluate(module, batch, initialParams(module, 1)).values()][0]!;
    const scale = Math.max(...ref.map(Math.abs));
    ref.forEach((v, i) => {
      expect(Math.abs(fast[i]! - v)).toBeLessThan(1e-5 * scale);
      expect(Math.abs(plain[i]! - v)).toBeLessThan(1e-5 * scale);
    });
  }, 60_000);

  it('pads rows to a few strides per octave, so batches of varying size reuse kernels', () => {
    expect(strideOf(1)).toBe(4);
    expect(strideOf(61)).toBe(64);
    expect(strideOf(65)).toBe(72);
    expect(strideOf(1000)).toBe(1024);
    expect(strideOf(1025)).toBe(1152);
    for (const n of [5, 100, 999, 4097]) expect(strideOf(n) >= n && strideOf(n) <= 1.25 * n + 4).toBe(true);
  });

  it('eqvc train --kernels wasm follows the loss trajectory of tfjs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-train-wasm-'));
    try {
      // 24 of the tetris graphs (three of each shape), 3 epochs of 3 steps.
      const data = path.join(dir, 'data.json');
      const graphs = (JSON.parse(fs.readFileSync('examples/tetris.train.json', 'utf8')) as { graphs: unknown[] }).graphs;
      fs.writeFileSync(data, JSON.stringify({ graphs: graphs.filter((_, i) => i % 10 < 3) }));
      const run = (kernels: string) => eqvc('train', 'examples/tetris.eqv', '--data', data, '--loss', 'cross_entropy', '--epochs', '3', '--batch-size', '8', '--held-out', '0', '--backend', 'cpu', '--kernels', kernels, '--out', path.join(dir, `${kernels}.safetensors`));
      const plain = await run('tfjs');
      const fast = await run('wasm');
      expect(plain.code, plain.err).toBe(0);
      expect(fast.code, fast.err).toBe(0);
      expect(fast.err).toMatch(/, wasm \(\d threads?\) kernels/);
      const losses = (err: string) => [...err.matchAll(/train loss ([0-9.e+-]+)/g)].map((m) => Number(m[1]));
      const a = losses(plain.err);
      const b = losses(fast.err);
      expect(a.length).toBe(3);
      expect(b.length).toBe(3);
      expect(a[2]!).toBeLessThan(a[0]!);
      // The printed losses have 4 significant digits; float32 rounding differs by far less.
      a.forEach((x, i) => expect(Math.abs(b[i]! - x), `epoch ${i + 1}: ${b[i]} vs ${x}`).toBeLessThanOrEqual(1e-3 * Math.abs(x)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('eqvc train --kernels wasm keeps tfjs\'s ops for a model whose forward takes a gradient', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-train-wasm-'));
    try {
      const input = JSON.parse(fs.readFileSync('examples/nequip_forces.input.json', 'utf8')) as { graphs: { pos: number[][]; species: number[][] }[] };
      const graphs = input.graphs.map((g, i) => ({ ...g, targets: { energy: [i - 0.5], forces: g.pos.map(() => [0, 0, 0]) } }));
      const data = path.join(dir, 'data.json');
      fs.writeFileSync(data, JSON.stringify({ graphs }));
      const r = await eqvc('train', 'examples/nequip_forces.eqv', '--data', data, '--epochs', '1', '--held-out', '0', '--backend', 'cpu', '--kernels', 'wasm', '--out', path.join(dir, 'w.safetensors'));
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/--kernels wasm: NequIPForces computes a gradient in its forward, so training needs second derivatives[^\n]*training with tfjs's ops/);
      expect(r.err).not.toMatch(/wasm \(\d threads?\) kernels/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('eqvc train rejects an unknown --kernels', async () => {
    const r = await eqvc('train', 'examples/tetris.eqv', '--data', 'examples/tetris.train.json', '--loss', 'cross_entropy', '--kernels', 'gpu', '--out', path.join(os.tmpdir(), 'never.safetensors'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--kernels must be tfjs or wasm, got gpu/);
  });
});
