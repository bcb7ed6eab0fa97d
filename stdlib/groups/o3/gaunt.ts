// Gaunt coefficients in e3nn's real basis: G[i, j, k] = mean over the sphere of
// Y_l1,i Y_l2,j Y_l3,k with component-normalized harmonics (mean of Y_lm^2 = 1). They vanish
// unless l1 + l2 + l3 is even and (l1, l2, l3) is a triangle. On those paths the real Gaunt
// tensor is invariant, hence proportional to e3nn's wigner_3j (Frobenius norm 1):
//   G = c(l1, l2, l3) * wigner3j(l1, l2, l3),
//   |c| = sqrt((2 l1 + 1)(2 l2 + 1)(2 l3 + 1)) * |(l1 l2 l3; 0 0 0)|,
// with the sign of e3nn's basis (`gauntConstant` returns c with its sign). The grid computing
// them integrates degree l1 + l2 + l3 exactly, so the tables are exact up to rounding.

import type { Tensor } from '../group.js';
import { exactResolution, gridHarmonics, sphereGrid } from './sphereGrid.js';
import { wigner3j } from './wigner3j.js';

const tables = new Map<string, Tensor>();

/** Whether the Gaunt coefficients of l1 x l2 -> l3 can be non-zero. */
export function gauntAllowed(l1: number, l2: number, l3: number): boolean {
  return (l1 + l2 + l3) % 2 === 0 && l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2;
}

/** The Gaunt tensor of shape (2l1+1, 2l2+1, 2l3+1), C-order; all zeros for an odd path. */
export function gauntCoupling(l1: number, l2: number, l3: number): Tensor {
  const key = `${l1},${l2},${l3}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const d1 = 2 * l1 + 1;
  const d2 = 2 * l2 + 1;
  const d3 = 2 * l3 + 1;
  const data = new Float64Array(d1 * d2 * d3);
  if (gauntAllowed(l1, l2, l3)) {
    const { nTheta, nPhi } = exactResolution(l1 + l2 + l3);
    const grid = sphereGrid(nTheta, nPhi);
    const lmax = Math.max(l1, l2, l3);
    const size = (lmax + 1) * (lmax + 1);
    const Y = gridHarmonics(grid, lmax);
    for (let g = 0; g < grid.weights.length; g++) {
      const w = grid.weights[g]!;
      const base = g * size;
      for (let i = 0; i < d1; i++) {
        const yi = w * Y[base + l1 * l1 + i]!;
        for (let j = 0; j < d2; j++) {
          const yij = yi * Y[base + l2 * l2 + j]!;
          const row = (i * d2 + j) * d3;
          for (let k = 0; k < d3; k++) data[row + k] += yij * Y[base + l3 * l3 + k]!;
        }
      }
    }
    // Quadrature leaves rounding noise where the exact coefficient is 0; keep the table sparse.
    for (let q = 0; q < data.length; q++) if (Math.abs(data[q]!) < 1e-13) data[q] = 0;
  }
  const t = { shape: [d1, d2, d3], data };
  tables.set(key, t);
  return t;
}

/** c(l1, l2, l3) with G = c * wigner3j (0 for odd paths): the per-path constant Gaunt differs from CG by. */
export function gauntConstant(l1: number, l2: number, l3: number): number {
  if (!gauntAllowed(l1, l2, l3)) return 0;
  const g = gauntCoupling(l1, l2, l3).data;
  const w = wigner3j(l1, l2, l3).data;
  let dot = 0;
  for (let q = 0; q < g.length; q++) dot += g[q]! * w[q]!;
  return dot; // wigner3j has Frobenius norm 1
}
