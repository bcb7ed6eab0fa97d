// The tfjs sphere-grid product (ops/gridProduct.ts) against the float64 reference, beyond the
// example's modes: per-sample weights (uvu from an mlp), uvv and uuw, and its autograd
// gradient against the Gaunt tables' gradient (the same function), in float32 to 1e-5.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule, IRNode } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { blockLayout } from '../../../stdlib/nn/layout.js';
import { gridProductKernel } from '../../../targets/ref/ops/gridProduct.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { gridProduct, tensorProduct } from '../../../targets/tfjs/ops/index.js';

const f32 = (a: Float64Array) => Float32Array.from(a);

function tpOf(call: string, x: string, y: string, out: string, extra = ''): { module: IRModule; node: Extract<IRNode, { op: 'tensor_product' }> } {
  const src = `model M : O(3) {\n  in x: node[${x}]\n  in y: node[${y}]\n${extra}  out z: node[${out}]\n  z = ${call}\n}\n`;
  const r = compileSource(src, 'input.eqv');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const module = r.ir[0]!;
  const node = module.nodes.find((n) => n.op === 'tensor_product');
  if (!node || node.op !== 'tensor_product') throw new Error('no tensor product');
  return { module, node };
}

const cases: [string, string, string, string, string][] = [
  ['uvu with per-sample weights', 'tp(x, y, 2x0e + 2x1o + 2x2e, mode = uvu, weights = s, kind = grid)', '2x0e + 2x1o + 2x2e', '1x0e + 1x1o + 1x2e', '2x0e + 2x1o + 2x2e'],
  ['uvv with shared weights', 'tp(x, y, 3x0e + 3x1o, mode = uvv, kind = grid)', '2x0e + 1x1o', '3x0e + 3x1o', '3x0e + 3x1o'],
  ['uuw with shared weights', 'tp(x, y, 2x0e + 1x2e, mode = uuw, kind = grid)', '2x1o + 2x2e', '2x1o + 2x2e', '2x0e + 1x2e'],
];

describe('tfjs grid product', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const [what, call, x, y, out] of cases) {
    it(`${what}: agrees with the float64 grid kernel to 1e-5`, () => {
      const perSample = call.includes('weights = s');
      const { node } = tpOf(call.replace('weights = s', 'weights = mlp(s, hidden = [4])'), x, y, out, perSample ? '  in s: node[3x0e]\n' : '');
      expect(node.attrs.weights).toBe(perSample ? 'input' : 'shared');
      expect(node.attrs.kind).toBe('grid');
      const rng = createRng(3);
      const n = 7;
      const d1 = node.attrs.in1.dim;
      const d2 = node.attrs.in2.dim;
      const wn = node.attrs.weightNumel;
      const x1 = Float64Array.from({ length: n * d1 }, () => rng.normal());
      const x2 = Float64Array.from({ length: n * d2 }, () => rng.normal());
      const w = Float64Array.from({ length: node.attrs.weights === 'input' ? n * wn : wn }, () => rng.normal());
      const outRep = node.type.kind === 'field' ? node.type.rep : undefined!;
      const layout = { in1: blockLayout(node.attrs.in1), in2: blockLayout(node.attrs.in2), out: blockLayout(outRep), dim1: d1, dim2: d2, dimOut: outRep.dim };
      const expected = gridProductKernel(node.attrs, layout, x1, x2, wn > 0 ? w : undefined, n);
      const weights = wn === 0 ? undefined : node.attrs.weights === 'input' ? tf.tensor2d(f32(w), [n, wn]) : tf.tensor1d(f32(w));
      const got = Array.from(tf.tidy(() => gridProduct(tf.tensor2d(f32(x1), [n, d1]), tf.tensor2d(f32(x2), [n, d2]), weights, node.attrs, outRep)).dataSync());
      const scale = Math.max(...expected.map(Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      expect(got.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0) / scale).toBeLessThan(1e-5);
    });
  }

  it('its autograd gradient equals the Gaunt tables\' gradient', () => {
    const { module, node } = tpOf('fctp(x, y, 2x0e + 2x1o + 1x2e, kind = grid)', '2x0e + 1x1o + 1x2e', '1x0e + 1x1o + 1x2e', '2x0e + 2x1o + 1x2e');
    const outRep = node.type.kind === 'field' ? node.type.rep : undefined!;
    const gauntAttrs = { ...node.attrs, kind: 'gaunt' as const, grid: undefined };
    const rng = createRng(4);
    const n = 5;
    const a = tf.tensor2d(Float32Array.from({ length: n * node.attrs.in1.dim }, () => rng.normal()), [n, node.attrs.in1.dim]);
    const b = tf.tensor2d(Float32Array.from({ length: n * node.attrs.in2.dim }, () => rng.normal()), [n, node.attrs.in2.dim]);
    const w = tf.tensor1d(Float32Array.from({ length: node.attrs.weightNumel }, () => rng.normal()));
    const probe = tf.tensor2d(Float32Array.from({ length: n * outRep.dim }, () => rng.normal()), [n, outRep.dim]);
    const viaGrid = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(gridProduct(x as tf.Tensor2D, y as tf.Tensor2D, z, node.attrs, outRep), probe)))([a, b, w]);
    const viaTables = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tensorProduct(x as tf.Tensor2D, y as tf.Tensor2D, z, gauntAttrs, module.tables, outRep), probe)))([a, b, w]);
    viaGrid.forEach((g, i) => {
      const p = Array.from(g.dataSync());
      const q = viaTables[i]!.dataSync();
      const scale = Math.max(...Array.from(q, Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      expect(p.reduce((m, v, k) => Math.max(m, Math.abs(v - q[k]!)), 0) / scale).toBeLessThan(1e-5);
    });
  });
});
