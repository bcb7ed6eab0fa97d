// Equivariant linear map in float64 (e3nn o3.Linear: out[w] = factor * sum_u W[u, w] x[u] per
// path, plus the bias on 0e outputs).

import type { LinearAttrs } from '../../../ir/types.js';
import type { BlockLayout } from '../../../stdlib/nn/layout.js';

/** x: (n, dimIn) row-major; weight: attrs.weightNumel; bias: attrs.bias.numel. Returns (n, dimOut). */
export function linearKernel(
  attrs: LinearAttrs,
  inLayout: readonly BlockLayout[],
  outLayout: readonly BlockLayout[],
  dimIn: number,
  dimOut: number,
  x: Float64Array,
  weight: Float64Array | undefined,
  bias: Float64Array | undefined,
  n: number,
): Float64Array {
  if (attrs.weightNumel > 0 && (!weight || weight.length !== attrs.weightNumel)) {
    throw new Error(`linear: expected ${attrs.weightNumel} weights, got ${weight?.length ?? 0}`);
  }
  if (attrs.bias && (!bias || bias.length !== attrs.bias.numel)) throw new Error(`linear: expected ${attrs.bias.numel} biases, got ${bias?.length ?? 0}`);
  const out = new Float64Array(n * dimOut);
  for (const path of attrs.paths) {
    const bi = inLayout[path.iIn];
    const bo = outLayout[path.iOut];
    if (!bi || !bo) throw new Error(`linear: path (${path.iIn}, ${path.iOut}) refers to a missing block`);
    const mi = bi.mul;
    const mo = bo.mul;
    const W = weight!;
    const f = path.factor;
    if (!path.basis) {
      if (bi.dim !== bo.dim) throw new Error(`linear: identity path between blocks of dims ${bi.dim} and ${bo.dim}`);
      const d = bi.dim;
      for (let z = 0; z < n; z++) {
        const xo = z * dimIn + bi.offset;
        const oo = z * dimOut + bo.offset;
        for (let w = 0; w < mo; w++) {
          for (let k = 0; k < d; k++) {
            let s = 0;
            for (let u = 0; u < mi; u++) s += W[path.weightOffset + u * mo + w]! * x[xo + u * d + k]!;
            out[oo + w * d + k] += f * s;
          }
        }
      }
    } else {
      // Basis maps B_b (dOut x dIn): out[w, a] = f * sum_{u, b} W[u, w, b] sum_c B_b[a, c] x[u, c].
      const nb = path.basis.length;
      const di = bi.dim;
      const dOut = bo.dim;
      const mapped = new Float64Array(nb * dOut);
      for (let z = 0; z < n; z++) {
        const xo = z * dimIn + bi.offset;
        const oo = z * dimOut + bo.offset;
        for (let u = 0; u < mi; u++) {
          for (let b = 0; b < nb; b++) {
            const B = path.basis[b]!;
            for (let a = 0; a < dOut; a++) {
              let s = 0;
              for (let c = 0; c < di; c++) s += B[a * di + c]! * x[xo + u * di + c]!;
              mapped[b * dOut + a] = s;
            }
          }
          for (let w = 0; w < mo; w++)
            for (let b = 0; b < nb; b++) {
              const wv = f * W[path.weightOffset + (u * mo + w) * nb + b]!;
              for (let a = 0; a < dOut; a++) out[oo + w * dOut + a] += wv * mapped[b * dOut + a]!;
            }
        }
      }
    }
  }
  if (attrs.bias) {
    for (const { iOut, offset } of attrs.bias.blocks) {
      const bo = outLayout[iOut]!;
      const size = bo.mul * bo.dim;
      for (let z = 0; z < n; z++) for (let c = 0; c < size; c++) out[z * dimOut + bo.offset + c] += bias![offset + c]!;
    }
  }
  return out;
}

/**
 * Reverse mode with respect to x (the transpose of each path; the bias does not depend on x):
 * gx[iIn][u, k] += factor · Σ_w W[u, w] · g[iOut][w, k], and with basis maps
 * gx[u, c] += factor · Σ_{w,b} W[u, w, b] Σ_a B_b[a, c] g[w, a].
 */
export function linearBackward(attrs: LinearAttrs, inLayout: readonly BlockLayout[], outLayout: readonly BlockLayout[], dimIn: number, dimOut: number, gradOut: Float64Array, weight: Float64Array | undefined, n: number): Float64Array {
  const gx = new Float64Array(n * dimIn);
  for (const path of attrs.paths) {
    const bi = inLayout[path.iIn]!;
    const bo = outLayout[path.iOut]!;
    const mi = bi.mul;
    const mo = bo.mul;
    const W = weight!;
    const f = path.factor;
    if (!path.basis) {
      const d = bi.dim;
      for (let z = 0; z < n; z++) {
        const xo = z * dimIn + bi.offset;
        const oo = z * dimOut + bo.offset;
        for (let u = 0; u < mi; u++)
          for (let k = 0; k < d; k++) {
            let s = 0;
            for (let w = 0; w < mo; w++) s += W[path.weightOffset + u * mo + w]! * gradOut[oo + w * d + k]!;
            gx[xo + u * d + k] += f * s;
          }
      }
    } else {
      const nb = path.basis.length;
      const di = bi.dim;
      const dO = bo.dim;
      for (let z = 0; z < n; z++) {
        const xo = z * dimIn + bi.offset;
        const oo = z * dimOut + bo.offset;
        for (let u = 0; u < mi; u++)
          for (let w = 0; w < mo; w++)
            for (let b = 0; b < nb; b++) {
              const wv = f * W[path.weightOffset + (u * mo + w) * nb + b]!;
              if (wv === 0) continue;
              const B = path.basis[b]!;
              for (let a = 0; a < dO; a++) {
                const ga = wv * gradOut[oo + w * dO + a]!;
                for (let c = 0; c < di; c++) gx[xo + u * di + c] += ga * B[a * di + c]!;
              }
            }
      }
    }
  }
  return gx;
}
