// e3nn o3.Linear as block matrix products. Paths are grouped by the irrep they map (the same
// atom in and out); each group is one matMul: its input copies gathered component-major into
// (n * d, sum mul_in), times a block matrix assembled from the paths' weights (zero where no
// path connects two blocks), giving (n * d, sum mul_out). One column gather puts every group's
// result back in the multiplicity-major layout. Paths with basis maps (GL+(n)) map their
// copies through the basis first.

import * as tf from '@tensorflow/tfjs-core';
import type { IRRep, LinearAttrs, LinearPath } from '../../../ir/types.js';
import { blockLayout, type BlockLayout } from '../../../stdlib/nn/layout.js';
import { gatherCols, scatterCols } from './customKernels.js';
import { kernelProvider } from './kernelProvider.js';

interface Group {
  readonly d: number;
  /** Input blocks of the group and where their copies start in the group's rows. */
  readonly inBlocks: readonly { readonly block: number; readonly row: number }[];
  readonly outBlocks: readonly { readonly block: number; readonly col: number }[];
  readonly rows: number;
  readonly cols: number;
  readonly paths: readonly LinearPath[];
  /** Columns of x, component-major: for k, for each input block, for u. */
  readonly gatherIn: readonly number[];
}

interface LinearPlan {
  readonly groups: readonly Group[];
  readonly basisPaths: readonly LinearPath[];
  readonly basisBlocks: readonly number[];
  /** For each output column: its column in concat(group outputs, basis outputs, [zero]). */
  readonly gatherOut: readonly number[];
  readonly needsZero: boolean;
  readonly identityOut: boolean;
  readonly biasCols: readonly number[];
  readonly inLayout: readonly BlockLayout[];
  readonly outLayout: readonly BlockLayout[];
}

const plans = new WeakMap<LinearAttrs, LinearPlan>();

function planOf(attrs: LinearAttrs, inRep: IRRep, outRep: IRRep): LinearPlan {
  const cached = plans.get(attrs);
  if (cached) return cached;
  const inLayout = blockLayout(inRep);
  const outLayout = blockLayout(outRep);
  const byIr = new Map<string, LinearPath[]>();
  const basisPaths: LinearPath[] = [];
  for (const p of attrs.paths) {
    if (inLayout[p.iIn]!.mul === 0 || outLayout[p.iOut]!.mul === 0) continue;
    if (p.basis) {
      basisPaths.push(p);
      continue;
    }
    const key = `${inRep.blocks[p.iIn]!.ir}/${inLayout[p.iIn]!.dim}`;
    byIr.set(key, [...(byIr.get(key) ?? []), p]);
  }
  const groups: Group[] = [];
  // Where each output column lands in the concatenated results.
  const source = new Array<number>(outRep.dim).fill(-1);
  let base = 0;
  for (const paths of byIr.values()) {
    const d = inLayout[paths[0]!.iIn]!.dim;
    const ins = [...new Set(paths.map((p) => p.iIn))].sort((a, b) => a - b);
    const outs = [...new Set(paths.map((p) => p.iOut))].sort((a, b) => a - b);
    let rows = 0;
    const inBlocks = ins.map((block) => {
      const r = { block, row: rows };
      rows += inLayout[block]!.mul;
      return r;
    });
    let cols = 0;
    const outBlocks = outs.map((block) => {
      const c = { block, col: cols };
      cols += outLayout[block]!.mul;
      return c;
    });
    const gatherIn: number[] = [];
    for (let k = 0; k < d; k++) for (const { block } of inBlocks) for (let u = 0; u < inLayout[block]!.mul; u++) gatherIn.push(inLayout[block]!.offset + u * d + k);
    for (const { block, col } of outBlocks) {
      const b = outLayout[block]!;
      for (let w = 0; w < b.mul; w++) for (let k = 0; k < d; k++) source[b.offset + w * d + k] = base + k * cols + col + w;
    }
    groups.push({ d, inBlocks, outBlocks, rows, cols, paths, gatherIn });
    base += d * cols;
  }
  // Basis paths: one result per output block (paths into the same block are summed).
  const basisBlocks = [...new Set(basisPaths.map((p) => p.iOut))];
  for (const block of basisBlocks) {
    const b = outLayout[block]!;
    for (let c = 0; c < b.mul * b.dim; c++) source[b.offset + c] = base + c;
    base += b.mul * b.dim;
  }
  const needsZero = source.some((s) => s < 0);
  const gatherOut = source.map((s) => (s < 0 ? base : s));
  const identityOut = !needsZero && gatherOut.every((s, i) => s === i) && base === outRep.dim;
  const biasCols: number[] = [];
  if (attrs.bias) {
    for (const { iOut } of attrs.bias.blocks) {
      const b = outLayout[iOut]!;
      for (let c = 0; c < b.mul * b.dim; c++) biasCols.push(b.offset + c);
    }
  }
  const plan = { groups, basisPaths, basisBlocks, gatherOut, needsZero, identityOut, biasCols, inLayout, outLayout };
  plans.set(attrs, plan);
  return plan;
}

function pathWeight(weight: tf.Tensor, p: LinearPath): tf.Tensor2D {
  const [mi, mo] = p.weightShape as [number, number];
  return tf.mul(tf.reshape(tf.slice(tf.reshape(weight, [-1]), [p.weightOffset], [mi * mo]), [mi, mo]), p.factor);
}

function groupMatrix(g: Group, weight: tf.Tensor): tf.Tensor2D {
  if (g.paths.length === 1 && g.inBlocks.length === 1 && g.outBlocks.length === 1) return pathWeight(weight, g.paths[0]!);
  let m: tf.Tensor2D | undefined;
  for (const p of g.paths) {
    const r = g.inBlocks.find((b) => b.block === p.iIn)!;
    const c = g.outBlocks.find((b) => b.block === p.iOut)!;
    const w = pathWeight(weight, p);
    const placed = tf.pad(w, [
      [r.row, g.rows - r.row - w.shape[0]],
      [c.col, g.cols - c.col - w.shape[1]],
    ]);
    m = (m ? tf.add(m, placed) : placed) as tf.Tensor2D;
  }
  return m!;
}

/** A path with basis maps B_b: out[w, a] = f sum_{u, b} W[u, w, b] sum_c B_b[a, c] x[u, c]. */
function basisPath(x: tf.Tensor2D, p: LinearPath, weight: tf.Tensor, inLayout: readonly BlockLayout[], outLayout: readonly BlockLayout[]): tf.Tensor2D {
  const n = x.shape[0];
  const bi = inLayout[p.iIn]!;
  const bo = outLayout[p.iOut]!;
  const nb = p.basis!.length;
  const [mi, mo] = p.weightShape as [number, number, number];
  const xb = tf.reshape(gatherCols(x, Array.from({ length: bi.mul * bi.dim }, (_, c) => bi.offset + c)), [n * mi, bi.dim]);
  // Bt[c, (b, a)] = B_b[a, c]
  const bt = new Float32Array(bi.dim * nb * bo.dim);
  p.basis!.forEach((B, b) => {
    for (let a = 0; a < bo.dim; a++) for (let c = 0; c < bi.dim; c++) bt[c * nb * bo.dim + b * bo.dim + a] = B[a * bi.dim + c]!;
  });
  const mapped = tf.reshape(tf.matMul(xb, tf.tensor2d(bt, [bi.dim, nb * bo.dim])), [n, mi, nb, bo.dim]);
  const lhs = tf.reshape(tf.transpose(mapped, [0, 3, 1, 2]), [n * bo.dim, mi * nb]);
  const w = tf.reshape(tf.transpose(tf.reshape(tf.slice(tf.reshape(weight, [-1]), [p.weightOffset], [mi * mo * nb]), [mi, mo, nb]), [0, 2, 1]), [mi * nb, mo]);
  const out = tf.reshape(tf.matMul(lhs, tf.mul(w, p.factor)), [n, bo.dim, mo]);
  return tf.reshape(tf.transpose(out, [0, 2, 1]), [n, mo * bo.dim]);
}

/** x: (n, inRep.dim) -> (n, outRep.dim). */
export function linear(x: tf.Tensor2D, attrs: LinearAttrs, inRep: IRRep, outRep: IRRep, weight: tf.Tensor | undefined, bias: tf.Tensor | undefined): tf.Tensor2D {
  const n = x.shape[0];
  const fast = kernelProvider(n)?.linear?.(x, attrs, inRep, outRep, weight, bias);
  if (fast) return fast;
  const plan = planOf(attrs, inRep, outRep);
  const parts: tf.Tensor2D[] = [];
  for (const g of plan.groups) {
    const identityIn = g.gatherIn.length === x.shape[1] && g.gatherIn.every((c, i) => c === i);
    const xg = tf.reshape(identityIn ? x : gatherCols(x, g.gatherIn), [n * g.d, g.rows]);
    parts.push(tf.reshape(tf.matMul(xg, groupMatrix(g, weight!)), [n, g.d * g.cols]));
  }
  // Basis paths into the same block are summed before the final gather.
  const basisByBlock = new Map<number, tf.Tensor2D>();
  for (const p of plan.basisPaths) {
    const y = basisPath(x, p, weight!, plan.inLayout, plan.outLayout);
    basisByBlock.set(p.iOut, basisByBlock.has(p.iOut) ? tf.add(basisByBlock.get(p.iOut)!, y) : y);
  }
  for (const block of plan.basisBlocks) parts.push(basisByBlock.get(block)!);
  if (plan.needsZero || parts.length === 0) parts.push(tf.zeros([n, 1]));
  const all = parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
  let out = plan.identityOut ? all : gatherCols(all, plan.gatherOut);
  if (bias && plan.biasCols.length > 0) out = tf.add(out, scatterCols(tf.reshape(bias, [1, -1]), plan.biasCols, outRep.dim));
  return out;
}
