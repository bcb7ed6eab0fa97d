// The sphere-grid tensor product (kind = grid) in float64: for each group of the plan, the summed
// in1 blocks and the summed in2 blocks go to the grid (harmonics at the points times the
// coefficients), are multiplied pointwise, and come back onto each output degree by the
// quadrature (weights times harmonics). With the plan's exact resolution this equals the Gaunt
// tables' product; the paths' modes, weights and factors are spread as in ops/tensorProduct.ts.

import type { TensorProductAttrs } from '../../../ir/types.js';
import { gridHarmonics, sphereGrid } from '../../../stdlib/groups/o3/sphereGrid.js';
import { spreadPath, type TensorProductOperands } from './tensorProduct.js';

export function gridProductKernel(attrs: TensorProductAttrs, layout: TensorProductOperands, x1: Float64Array, x2: Float64Array, weights: Float64Array | undefined, n: number): Float64Array {
  const plan = attrs.grid;
  if (!plan) throw new Error('grid tensor product: the grid plan is missing');
  const { dim1, dim2, dimOut } = layout;
  const perSample = attrs.weights === 'input';
  const wn = attrs.weightNumel;
  if (wn > 0 && (!weights || weights.length !== (perSample ? n * wn : wn))) throw new Error(`tensor product: expected ${perSample ? n * wn : wn} weights`);
  const W = weights ?? new Float64Array(0);
  const grid = sphereGrid(plan.nTheta, plan.nPhi);
  const G = grid.weights.length;
  const lmax = Math.max(0, ...plan.degrees1, ...plan.degrees2, ...plan.degreesOut);
  const size = (lmax + 1) * (lmax + 1);
  const Y = gridHarmonics(grid, lmax);
  const out = new Float64Array(n * dimOut);

  // f on the grid, f[u * G + g] = sum over blocks of sum_m Y_lm(g) x[u, m].
  const toGrid = (x: Float64Array, dim: number, blocks: readonly number[], degrees: readonly number[], lay: TensorProductOperands['in1'], z: number, mul: number): Float64Array => {
    const f = new Float64Array(mul * G);
    for (const i of blocks) {
      const b = lay[i]!;
      const l = degrees[i]!;
      for (let u = 0; u < mul; u++) {
        const o = z * dim + b.offset + u * b.dim;
        for (let g = 0; g < G; g++) {
          let s = 0;
          for (let m = 0; m < b.dim; m++) s += Y[g * size + l * l + m]! * x[o + m]!;
          f[u * G + g] += s;
        }
      }
    }
    return f;
  };

  for (const group of plan.groups) {
    const m1 = layout.in1[group.in1[0]!]!.mul;
    const m2 = layout.in2[group.in2[0]!]!.mul;
    if (m1 === 0 || m2 === 0) continue;
    for (let z = 0; z < n; z++) {
      const A = toGrid(x1, dim1, group.in1, plan.degrees1, layout.in1, z, m1);
      const B = toGrid(x2, dim2, group.in2, plan.degrees2, layout.in2, z, m2);
      for (const p of group.paths) {
        const path = attrs.paths[p]!;
        const bo = layout.out[path.iOut]!;
        if (bo.mul === 0) continue;
        const l3 = plan.degreesOut[path.iOut]!;
        const d3 = bo.dim;
        const t = new Float64Array(d3);
        const couple = (u: number, v: number) => {
          t.fill(0);
          for (let g = 0; g < G; g++) {
            const s = grid.weights[g]! * A[u * G + g]! * B[v * G + g]!;
            for (let k = 0; k < d3; k++) t[k] += s * Y[g * size + l3 * l3 + k]!;
          }
        };
        const add = (w: number, scale: number) => {
          const oo = z * dimOut + bo.offset + w * d3;
          for (let k = 0; k < d3; k++) out[oo + k] += scale * t[k]!;
        };
        spreadPath(path, m1, m2, bo.mul, couple, add, W, (perSample ? z * wn : 0) + path.weightOffset);
      }
    }
  }
  return out;
}
