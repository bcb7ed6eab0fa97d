// e3nn's S2Activation (`sphere_act`): the dense to-grid and from-grid matrices every target
// uses, and the default grid. A pointwise function of a band-limited signal is not band-limited,
// so no finite grid makes the projection exact: the quadrature aliases act(f)'s degrees above
// its exactness 2N - 1 back onto the output, and that part is not equivariant. The default
// resolution keeps the measured equivariance error a decade under the float32 suites' tolerance
// up to lmax 2 (defaultSphereActResolution); a coarser declared resolution gets W0005.

import type { SphereActivationAttrs } from '../../ir/types.js';
import { gridHarmonics, sphereGrid } from '../groups/o3/sphereGrid.js';

/** The grid of resolution N: N Gauss-Legendre nodes in cos(theta) times 2N angles in phi (exact to degree 2N - 1). */
export function sphereActGrid(resolution: number): { nTheta: number; nPhi: number } {
  return { nTheta: resolution, nPhi: 2 * resolution };
}

/**
 * The default resolution: N = 16 max(1, lmaxIn) + lmaxOut. Measured in float64 (silu and tanh,
 * unit-scale inputs, docs/ir.md `sphere_activation`): the equivariance error falls below 5e-6
 * at lmax 1 (N >= 12) and 2 (N >= 32), about 5e-4 at lmax 3 with N = 32; the factor 16 keeps
 * lmax <= 2 a decade under the float32 suites' tolerance (3e-4). Higher degrees are allowed
 * but only approximately equivariant (see W0005 and docs).
 */
export function defaultSphereActResolution(lmaxIn: number, lmaxOut: number): number {
  return 16 * Math.max(1, lmaxIn) + lmaxOut;
}

export interface SphereActMatrices {
  /** Points of the grid. */
  readonly G: number;
  readonly dimIn: number;
  readonly dimOut: number;
  /** (dimIn, G): Y_lm(g), rows l^2 + m, component-normalized. */
  readonly toGrid: Float64Array;
  /** (G, dimOut): w_g Y_lm(g). */
  readonly fromGrid: Float64Array;
}

const cache = new Map<string, SphereActMatrices>();

export function sphereActMatrices(attrs: Pick<SphereActivationAttrs, 'lmaxIn' | 'lmaxOut' | 'nTheta' | 'nPhi'>): SphereActMatrices {
  const key = `${attrs.lmaxIn},${attrs.lmaxOut},${attrs.nTheta},${attrs.nPhi}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const grid = sphereGrid(attrs.nTheta, attrs.nPhi);
  const G = grid.weights.length;
  const lmax = Math.max(attrs.lmaxIn, attrs.lmaxOut);
  const size = (lmax + 1) * (lmax + 1);
  const Y = gridHarmonics(grid, lmax);
  const dimIn = (attrs.lmaxIn + 1) ** 2;
  const dimOut = (attrs.lmaxOut + 1) ** 2;
  const toGrid = new Float64Array(dimIn * G);
  for (let k = 0; k < dimIn; k++) for (let g = 0; g < G; g++) toGrid[k * G + g] = Y[g * size + k]!;
  const fromGrid = new Float64Array(G * dimOut);
  for (let g = 0; g < G; g++) for (let k = 0; k < dimOut; k++) fromGrid[g * dimOut + k] = grid.weights[g]! * Y[g * size + k]!;
  const out = { G, dimIn, dimOut, toGrid, fromGrid };
  cache.set(key, out);
  return out;
}
