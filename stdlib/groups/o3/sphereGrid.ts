// A product quadrature on the sphere: Gauss-Legendre nodes in cos(theta) times uniform angles in
// phi. With nTheta nodes and nPhi angles it integrates every spherical polynomial of degree
// <= min(2 nTheta - 1, nPhi - 1) exactly, whichever axis is polar (a rotated polynomial of
// degree D is still one of degree D), so it serves e3nn's y-polar harmonics as well. The
// products and activations on the sphere (Gaunt tables, kind = grid, sphere_act) use it.

import { sphericalHarmonicsInto } from './sphericalHarmonics.js';

export interface SphereGrid {
  readonly nTheta: number;
  readonly nPhi: number;
  /** Unit vectors, (nTheta * nPhi) x 3, theta-major. */
  readonly points: Float64Array;
  /** Quadrature weights summing to 1: sum_g w[g] f(g) is the mean of f over the sphere. */
  readonly weights: Float64Array;
}

/** Gauss-Legendre nodes and weights on [-1, 1] (Newton's method on P_n from Chebyshev guesses). */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Gauss-Legendre needs n >= 1 nodes, got ${n}`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pm = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pm)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

/**
 * The smallest grid that integrates every spherical polynomial of degree `degree` exactly:
 * nTheta = ceil((degree + 1) / 2) Gauss-Legendre nodes, nPhi = degree + 1 angles.
 */
export function exactResolution(degree: number): { nTheta: number; nPhi: number } {
  return { nTheta: Math.max(1, Math.ceil((degree + 1) / 2)), nPhi: Math.max(1, degree + 1) };
}

const grids = new Map<string, SphereGrid>();

/** The grid nTheta x nPhi, with e3nn's polar axis (y) as the Gauss-Legendre axis. */
export function sphereGrid(nTheta: number, nPhi: number): SphereGrid {
  const key = `${nTheta}x${nPhi}`;
  const cached = grids.get(key);
  if (cached) return cached;
  if (!Number.isInteger(nPhi) || nPhi < 1) throw new RangeError(`a sphere grid needs nPhi >= 1, got ${nPhi}`);
  const gl = gaussLegendre(nTheta);
  const size = nTheta * nPhi;
  const points = new Float64Array(size * 3);
  const weights = new Float64Array(size);
  for (let t = 0; t < nTheta; t++) {
    const c = gl.nodes[t]!;
    const s = Math.sqrt(Math.max(0, 1 - c * c));
    for (let f = 0; f < nPhi; f++) {
      const phi = (2 * Math.PI * f) / nPhi;
      const g = t * nPhi + f;
      points[3 * g] = s * Math.sin(phi);
      points[3 * g + 1] = c;
      points[3 * g + 2] = s * Math.cos(phi);
      weights[g] = gl.weights[t]! / (2 * nPhi);
    }
  }
  const grid = { nTheta, nPhi, points, weights };
  grids.set(key, grid);
  return grid;
}

/**
 * The component-normalized real harmonics of degrees 0..lmax at the grid's points:
 * Y[g * (lmax+1)^2 + l^2 + l + m] (e3nn's convention; the mean of Y_lm^2 over the sphere is 1).
 */
export function gridHarmonics(grid: SphereGrid, lmax: number): Float64Array {
  return sphericalHarmonicsInto(lmax, grid.points, undefined, false, 'component');
}
