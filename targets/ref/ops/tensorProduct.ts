// Tensor product in float64, one path at a time over the sparse coupling entries. For each
// pair of input copies (u, v) the mode sums over, t[k] = sum_ij C[i,j,k] x1[u,i] x2[v,j] is
// formed once from the non-zeros, then spread to the output copies with the path's weights
// and factor (e3nn _codegen.py: out += factor * einsum(weights, C, x1 x2)).

import type { IRCouplingTable, TensorProductAttrs, TPPath } from '../../../ir/types.js';
import type { BlockLayout } from '../../../stdlib/nn/layout.js';

export interface TensorProductOperands {
  readonly in1: readonly BlockLayout[];
  readonly in2: readonly BlockLayout[];
  readonly out: readonly BlockLayout[];
  readonly dim1: number;
  readonly dim2: number;
  readonly dimOut: number;
}

/**
 * x1: (n, dim1), x2: (n, dim2) row-major. `weights` is the shared vector (weightNumel) or, when
 * attrs.weights is 'input', per-sample rows (n, weightNumel). Returns (n, dimOut).
 */
export function tensorProductKernel(
  attrs: TensorProductAttrs,
  tables: Readonly<Record<string, IRCouplingTable>>,
  layout: TensorProductOperands,
  x1: Float64Array,
  x2: Float64Array,
  weights: Float64Array | undefined,
  n: number,
): Float64Array {
  const { dim1, dim2, dimOut } = layout;
  const perSample = attrs.weights === 'input';
  const wn = attrs.weightNumel;
  if (wn > 0) {
    if (!weights) throw new Error('tensor product: weights are missing');
    const expected = perSample ? n * wn : wn;
    if (weights.length !== expected) throw new Error(`tensor product: expected ${expected} weights, got ${weights.length}`);
  }
  const out = new Float64Array(n * dimOut);
  const W = weights ?? new Float64Array(0);

  for (const path of attrs.paths) {
    const b1 = layout.in1[path.i1];
    const b2 = layout.in2[path.i2];
    const bo = layout.out[path.iOut];
    const table = tables[path.coupling];
    if (!b1 || !b2 || !bo) throw new Error(`tensor product: path (${path.i1}, ${path.i2}, ${path.iOut}) refers to a missing block`);
    if (!table) throw new Error(`tensor product: coupling table ${path.coupling} is missing`);
    const [d1, d2, d3] = table.shape;
    const empty = b1.mul === 0 || b2.mul === 0 || bo.mul === 0;
    if (empty) continue; // e3nn drops paths with a zero in their shape
    if (d1 !== b1.dim || d2 !== b2.dim || d3 !== bo.dim) {
      throw new Error(`tensor product: coupling ${path.coupling} has shape (${d1}, ${d2}, ${d3}) but the blocks have dims (${b1.dim}, ${b2.dim}, ${bo.dim})`);
    }
    const m1 = b1.mul;
    const m2 = b2.mul;
    const mo = bo.mul;
    const e = table.entries;
    const nnz = e.length / 4;
    const t = new Float64Array(d3);
    const w0 = path.weightOffset;

    // t[k] for copies u of x1 and v of x2 at sample row z.
    const couple = (z: number, u: number, v: number) => {
      t.fill(0);
      const o1 = z * dim1 + b1.offset + u * d1;
      const o2 = z * dim2 + b2.offset + v * d2;
      for (let q = 0; q < nnz; q++) {
        const i = e[4 * q]!;
        const j = e[4 * q + 1]!;
        const k = e[4 * q + 2]!;
        t[k] += e[4 * q + 3]! * x1[o1 + i]! * x2[o2 + j]!;
      }
    };
    const add = (z: number, w: number, scale: number) => {
      const oo = z * dimOut + bo.offset + w * d3;
      for (let k = 0; k < d3; k++) out[oo + k] += scale * t[k]!;
    };

    for (let z = 0; z < n; z++) spreadPath(path, m1, m2, mo, (u, v) => couple(z, u, v), (w, scale) => add(z, w, scale), W, (perSample ? z * wn : 0) + w0);
  }
  return out;
}

/**
 * One path at one sample row, by mode: `couple(u, v)` fills the coupled vector t (d3) for input
 * copies u and v, `add(w, s)` adds s t to output copy w. Shared by the CG/Gaunt-table kernel and
 * the sphere-grid kernel (ops/gridProduct.ts), which differ only in how t is formed.
 */
export function spreadPath(path: TPPath, m1: number, m2: number, mo: number, couple: (u: number, v: number) => void, add: (w: number, scale: number) => void, W: Float64Array, wb: number): void {
  const f = path.factor;
  switch (path.mode) {
    case 'uvw':
      for (let u = 0; u < m1; u++)
        for (let v = 0; v < m2; v++) {
          couple(u, v);
          for (let w = 0; w < mo; w++) add(w, f * W[wb + (u * m2 + v) * mo + w]!);
        }
      break;
    case 'uvu':
      if (mo !== m1) throw new Error('tensor product: uvu needs mul_out = mul1');
      for (let u = 0; u < m1; u++)
        for (let v = 0; v < m2; v++) {
          couple(u, v);
          add(u, path.hasWeight ? f * W[wb + u * m2 + v]! : f);
        }
      break;
    case 'uvv':
      if (mo !== m2) throw new Error('tensor product: uvv needs mul_out = mul2');
      for (let u = 0; u < m1; u++)
        for (let v = 0; v < m2; v++) {
          couple(u, v);
          add(v, path.hasWeight ? f * W[wb + u * m2 + v]! : f);
        }
      break;
    case 'uuw':
      if (m1 !== m2) throw new Error('tensor product: uuw needs mul1 = mul2');
      for (let u = 0; u < m1; u++) {
        couple(u, u);
        if (path.hasWeight) for (let w = 0; w < mo; w++) add(w, f * W[wb + u * mo + w]!);
        else add(0, f); // e3nn: tp(x, y, 'uuu').sum('u'), output multiplicity 1
      }
      break;
    case 'uuu':
      if (m1 !== m2 || m2 !== mo) throw new Error('tensor product: uuu needs mul1 = mul2 = mul_out');
      for (let u = 0; u < m1; u++) {
        couple(u, u);
        add(u, path.hasWeight ? f * W[wb + u]! : f);
      }
      break;
    case 'uvuv':
      if (mo !== m1 * m2) throw new Error('tensor product: uvuv needs mul_out = mul1 * mul2');
      for (let u = 0; u < m1; u++)
        for (let v = 0; v < m2; v++) {
          couple(u, v);
          add(u * m2 + v, path.hasWeight ? f * W[wb + u * m2 + v]! : f);
        }
      break;
  }
}

/** Gradients of a tensor product with respect to its inputs (per-sample weights when attrs.weights is 'input'). */
export interface TensorProductGrads {
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  /** (n, weightNumel) when the weights are per-sample, else undefined (shared weights are not inputs). */
  readonly weights: Float64Array | undefined;
}

/**
 * Reverse mode of tensorProductKernel. For each pair of copies (u, v) a path couples, the
 * forward adds s_w · t[k] to output copy w, with t[k] = Σ C[i,j,k] x1[u,i] x2[v,j] and s_w the
 * weight times the factor. So with G[k] = Σ_w s_w g[w, k]: gx1[u,i] += Σ C[i,j,k] x2[v,j] G[k],
 * gx2[v,j] += Σ C[i,j,k] x1[u,i] G[k]; and a per-sample weight gets factor · Σ_k g[w,k] t[k].
 */
export function tensorProductBackward(
  attrs: TensorProductAttrs,
  tables: Readonly<Record<string, IRCouplingTable>>,
  layout: TensorProductOperands,
  x1: Float64Array,
  x2: Float64Array,
  weights: Float64Array | undefined,
  gradOut: Float64Array,
  n: number,
): TensorProductGrads {
  const { dim1, dim2, dimOut } = layout;
  const perSample = attrs.weights === 'input';
  const wn = attrs.weightNumel;
  const g1 = new Float64Array(n * dim1);
  const g2 = new Float64Array(n * dim2);
  const gw = perSample ? new Float64Array(n * wn) : undefined;
  const W = weights ?? new Float64Array(0);
  for (const path of attrs.paths) {
    const b1 = layout.in1[path.i1]!;
    const b2 = layout.in2[path.i2]!;
    const bo = layout.out[path.iOut]!;
    if (b1.mul === 0 || b2.mul === 0 || bo.mul === 0) continue;
    const table = tables[path.coupling];
    if (!table) throw new Error(`tensor product: coupling table ${path.coupling} is missing`);
    const [d1, d2, d3] = table.shape;
    const m1 = b1.mul;
    const m2 = b2.mul;
    const mo = bo.mul;
    const e = table.entries;
    const nnz = e.length / 4;
    const G = new Float64Array(d3);
    const t = new Float64Array(d3);
    const f = path.factor;
    const w0 = path.weightOffset;
    const outRow = (z: number, w: number) => z * dimOut + bo.offset + w * d3;
    // G[k] = Σ over (scale, output copy) of scale · g[copy, k]; then push G back through C.
    const pull = (z: number, u: number, v: number, terms: readonly (readonly [number, number])[]) => {
      G.fill(0);
      for (const [scale, w] of terms) {
        const oo = outRow(z, w);
        for (let k = 0; k < d3; k++) G[k] += scale * gradOut[oo + k]!;
      }
      const o1 = z * dim1 + b1.offset + u * d1;
      const o2 = z * dim2 + b2.offset + v * d2;
      for (let q = 0; q < nnz; q++) {
        const i = e[4 * q]!;
        const j = e[4 * q + 1]!;
        const k = e[4 * q + 2]!;
        const c = e[4 * q + 3]! * G[k]!;
        g1[o1 + i] += c * x2[o2 + j]!;
        g2[o2 + j] += c * x1[o1 + i]!;
      }
    };
    // d/dW for per-sample weights: factor · Σ_k g[w, k] t[k].
    const couple = (z: number, u: number, v: number) => {
      t.fill(0);
      const o1 = z * dim1 + b1.offset + u * d1;
      const o2 = z * dim2 + b2.offset + v * d2;
      for (let q = 0; q < nnz; q++) t[e[4 * q + 2]!] += e[4 * q + 3]! * x1[o1 + e[4 * q]!]! * x2[o2 + e[4 * q + 1]!]!;
    };
    const weightGrad = (z: number, u: number, v: number, widx: number, w: number) => {
      if (!gw || !path.hasWeight) return;
      couple(z, u, v);
      const oo = outRow(z, w);
      let s = 0;
      for (let k = 0; k < d3; k++) s += gradOut[oo + k]! * t[k]!;
      gw[z * wn + w0 + widx] += f * s;
    };
    for (let z = 0; z < n; z++) {
      const wb = (perSample ? z * wn : 0) + w0;
      const wt = (idx: number) => (path.hasWeight ? f * W[wb + idx]! : f);
      switch (path.mode) {
        case 'uvw':
          for (let u = 0; u < m1; u++)
            for (let v = 0; v < m2; v++) {
              const terms: [number, number][] = [];
              for (let w = 0; w < mo; w++) {
                terms.push([f * W[wb + (u * m2 + v) * mo + w]!, w]);
                weightGrad(z, u, v, (u * m2 + v) * mo + w, w);
              }
              pull(z, u, v, terms);
            }
          break;
        case 'uvu':
          for (let u = 0; u < m1; u++)
            for (let v = 0; v < m2; v++) {
              pull(z, u, v, [[wt(u * m2 + v), u]]);
              weightGrad(z, u, v, u * m2 + v, u);
            }
          break;
        case 'uvv':
          for (let u = 0; u < m1; u++)
            for (let v = 0; v < m2; v++) {
              pull(z, u, v, [[wt(u * m2 + v), v]]);
              weightGrad(z, u, v, u * m2 + v, v);
            }
          break;
        case 'uuw':
          for (let u = 0; u < m1; u++) {
            if (path.hasWeight) {
              const terms: [number, number][] = [];
              for (let w = 0; w < mo; w++) {
                terms.push([f * W[wb + u * mo + w]!, w]);
                weightGrad(z, u, u, u * mo + w, w);
              }
              pull(z, u, u, terms);
            } else pull(z, u, u, [[f, 0]]);
          }
          break;
        case 'uuu':
          for (let u = 0; u < m1; u++) {
            pull(z, u, u, [[wt(u), u]]);
            weightGrad(z, u, u, u, u);
          }
          break;
        case 'uvuv':
          for (let u = 0; u < m1; u++)
            for (let v = 0; v < m2; v++) {
              pull(z, u, v, [[wt(u * m2 + v), u * m2 + v]]);
              weightGrad(z, u, v, u * m2 + v, u * m2 + v);
            }
          break;
      }
    }
  }
  return { x1: g1, x2: g2, weights: gw };
}
