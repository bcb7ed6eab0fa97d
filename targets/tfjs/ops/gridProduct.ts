// The sphere-grid tensor product (kind = grid) as matMuls: for each group of the plan, the summed
// in1 blocks and the summed in2 blocks go to the grid ((n m, d) x (d, G) with the harmonics at the
// points), are multiplied pointwise (a broadcast multiply over the copies the mode pairs), and
// come back onto each path's output degree with one (G, d3) matMul whose columns are quadrature
// weight x harmonic x the path's factor. The modes and weights then go as in tensorProduct.ts.

import * as tf from '@tensorflow/tfjs-core';
import type { IRRep, TensorProductAttrs, TPGrid } from '../../../ir/types.js';
import { gridHarmonics, sphereGrid } from '../../../stdlib/groups/o3/sphereGrid.js';
import { blockLayout, type BlockLayout } from '../../../stdlib/nn/layout.js';
import { block, pathWeights, spreadByMode } from './tensorProduct.js';

interface GridMatrices {
  readonly G: number;
  /** (2l+1, G): coefficients to values at the points, per degree. */
  readonly toGrid: Map<number, Float32Array>;
  /** (G, 2l+1): quadrature weight times harmonic, per degree. */
  readonly fromGrid: Map<number, Float32Array>;
}

const matrices = new WeakMap<TPGrid, GridMatrices>();

function matricesOf(plan: TPGrid): GridMatrices {
  const cached = matrices.get(plan);
  if (cached) return cached;
  const grid = sphereGrid(plan.nTheta, plan.nPhi);
  const G = grid.weights.length;
  const lmax = Math.max(0, ...plan.degrees1, ...plan.degrees2, ...plan.degreesOut);
  const size = (lmax + 1) * (lmax + 1);
  const Y = gridHarmonics(grid, lmax);
  const toGrid = new Map<number, Float32Array>();
  const fromGrid = new Map<number, Float32Array>();
  for (const l of new Set([...plan.degrees1, ...plan.degrees2])) {
    const d = 2 * l + 1;
    const m = new Float32Array(d * G);
    for (let k = 0; k < d; k++) for (let g = 0; g < G; g++) m[k * G + g] = Y[g * size + l * l + k]!;
    toGrid.set(l, m);
  }
  for (const l of new Set(plan.degreesOut)) {
    const d = 2 * l + 1;
    const m = new Float32Array(G * d);
    for (let g = 0; g < G; g++) for (let k = 0; k < d; k++) m[g * d + k] = grid.weights[g]! * Y[g * size + l * l + k]!;
    fromGrid.set(l, m);
  }
  const out = { G, toGrid, fromGrid };
  matrices.set(plan, out);
  return out;
}

/** The summed blocks of x on the grid: (n, mul, G). */
function onGrid(x: tf.Tensor2D, blocks: readonly number[], layout: readonly BlockLayout[], degrees: readonly number[], mats: GridMatrices): tf.Tensor3D {
  const n = x.shape[0];
  let sum: tf.Tensor2D | undefined;
  for (const i of blocks) {
    const b = layout[i]!;
    const l = degrees[i]!;
    const values = tf.matMul(tf.reshape(block(x, b), [n * b.mul, b.dim]), tf.tensor2d(mats.toGrid.get(l)!, [b.dim, mats.G]));
    sum = (sum ? tf.add(sum, values) : values) as tf.Tensor2D;
  }
  return tf.reshape(sum!, [n, layout[blocks[0]!]!.mul, mats.G]);
}

export function gridProduct(a: tf.Tensor2D, b: tf.Tensor2D, weights: tf.Tensor | undefined, attrs: TensorProductAttrs, outRep: IRRep): tf.Tensor2D {
  const plan = attrs.grid;
  if (!plan) throw new Error('grid tensor product: the grid plan is missing');
  const n = a.shape[0];
  const mats = matricesOf(plan);
  const in1 = blockLayout(attrs.in1);
  const in2 = blockLayout(attrs.in2);
  const out = blockLayout(outRep);
  const perSample = attrs.weights === 'input';
  const flatWeights = weights && !perSample ? tf.reshape(weights, [-1]) : undefined;
  const sums = new Map<number, tf.Tensor3D>();
  for (const group of plan.groups) {
    const m1 = in1[group.in1[0]!]!.mul;
    const m2 = in2[group.in2[0]!]!.mul;
    if (m1 === 0 || m2 === 0) continue;
    const A = onGrid(a, group.in1, in1, plan.degrees1, mats);
    const B = onGrid(b, group.in2, in2, plan.degrees2, mats);
    const products = new Map<boolean, tf.Tensor2D>();
    for (const p of group.paths) {
      const path = attrs.paths[p]!;
      const bo = out[path.iOut]!;
      if (bo.mul === 0) continue;
      const diagonal = path.mode === 'uuw' || path.mode === 'uuu';
      if (!products.has(diagonal)) {
        const prod = diagonal ? tf.mul(A, B) : tf.mul(tf.reshape(A, [n, m1, 1, mats.G]), tf.reshape(B, [n, 1, m2, mats.G]));
        products.set(diagonal, tf.reshape(prod, [-1, mats.G]));
      }
      const back = mats.fromGrid.get(plan.degreesOut[path.iOut]!)!;
      const t = tf.matMul(products.get(diagonal)!, tf.tensor2d(back.map((v) => v * path.factor), [mats.G, bo.dim])) as tf.Tensor2D;
      const numel = path.hasWeight ? path.weightShape.reduce((x, y) => x * y, 1) : 0;
      const o = spreadByMode(t, path, m1, m2, bo.mul, bo.dim, n, pathWeights(path, weights, flatWeights, perSample, numel), perSample);
      const prev = sums.get(path.iOut);
      sums.set(path.iOut, prev ? tf.add(prev, o) : o);
    }
  }
  const parts = out.map((bo, i) => {
    const s = sums.get(i);
    return s ? tf.reshape(s, [n, bo.mul * bo.dim]) : tf.zeros([n, bo.mul * bo.dim]);
  }) as tf.Tensor2D[];
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
}
