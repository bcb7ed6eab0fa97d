// e3nn's equivariant BatchNorm and copy dropout in float64 (docs/ir.md `batch_norm`,
// `dropout`). The reference evaluates models as `eqvc run` does, in evaluation mode: batch norm
// is a fixed affine map per copy from the running statistics, and dropout the identity. The
// batch statistics and the running update of training (what tfjs and torch compute in training
// mode) are here too, as the float64 definition their tests compare against.

import type { BatchNormAttrs } from '../../../ir/types.js';

/** Per copy: the factor (running_var + eps)^(-1/2) · weight and the shift, so y = x · factor + shift (shift on centred copies only). */
function affine(attrs: BatchNormAttrs, weight: Float64Array, bias: Float64Array | undefined, mean: Float64Array | undefined, variance: Float64Array): { factor: Float64Array; shift: Float64Array } {
  const factor = new Float64Array(attrs.weightNumel);
  const shift = new Float64Array(attrs.weightNumel);
  for (const b of attrs.blocks) {
    for (let u = 0; u < b.mul; u++) {
      const k = b.weightOffset + u;
      factor[k] = weight[k]! / Math.sqrt(variance[k]! + attrs.eps);
      if (b.centre) shift[k] = (bias?.[b.biasOffset! + u] ?? 0) - (mean?.[b.biasOffset! + u] ?? 0) * factor[k]!;
    }
  }
  return { factor, shift };
}

/** Evaluation mode: y = (x - running_mean) (running_var + eps)^(-1/2) weight + bias per copy. */
export function batchNormKernel(attrs: BatchNormAttrs, x: Float64Array, dim: number, rows: number, weight: Float64Array, bias: Float64Array | undefined, runningMean: Float64Array | undefined, runningVar: Float64Array): Float64Array {
  const { factor, shift } = affine(attrs, weight, bias, runningMean, runningVar);
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    for (const b of attrs.blocks) {
      for (let u = 0; u < b.mul; u++) {
        const k = b.weightOffset + u;
        const o = r * dim + b.offset + u * b.dim;
        for (let i = 0; i < b.dim; i++) y[o + i] = x[o + i]! * factor[k]! + shift[k]!;
      }
    }
  }
  return y;
}

/** The VJP of evaluation mode: each copy's gradient times its factor. */
export function batchNormBackward(attrs: BatchNormAttrs, dim: number, rows: number, weight: Float64Array, runningVar: Float64Array, gradOut: Float64Array): Float64Array {
  const { factor } = affine(attrs, weight, undefined, undefined, runningVar);
  const g = new Float64Array(gradOut.length);
  for (let r = 0; r < rows; r++) {
    for (const b of attrs.blocks) {
      for (let u = 0; u < b.mul; u++) {
        const o = r * dim + b.offset + u * b.dim;
        for (let i = 0; i < b.dim; i++) g[o + i] = gradOut[o + i]! * factor[b.weightOffset + u]!;
      }
    }
  }
  return g;
}

/**
 * Training mode's statistics of a batch of rows > 0 (e3nn's BatchNorm with reduce = mean, normalization =
 * component): the mean over rows of each scalar copy, and per copy the mean over rows of the
 * mean over its components of the squared (for scalars: centred) value. Biased, as e3nn's.
 */
export function batchNormStatistics(attrs: BatchNormAttrs, x: Float64Array, dim: number, rows: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(attrs.biasNumel);
  const variance = new Float64Array(attrs.weightNumel);
  for (const b of attrs.blocks) {
    for (let u = 0; u < b.mul; u++) {
      const o = b.offset + u * b.dim;
      let m = 0;
      if (b.centre) {
        for (let r = 0; r < rows; r++) m += x[r * dim + o]!;
        m /= rows;
        mean[b.biasOffset! + u] = m;
      }
      let s = 0;
      for (let r = 0; r < rows; r++) for (let i = 0; i < b.dim; i++) s += (x[r * dim + o + i]! - m) ** 2;
      variance[b.weightOffset + u] = s / (rows * b.dim);
    }
  }
  return { mean, variance };
}

/** Training mode's output: normalized with the batch's own statistics (no rows: no output). */
export function batchNormTraining(attrs: BatchNormAttrs, x: Float64Array, dim: number, rows: number, weight: Float64Array, bias: Float64Array | undefined): Float64Array {
  if (rows === 0) return new Float64Array(0);
  const { mean, variance } = batchNormStatistics(attrs, x, dim, rows);
  return batchNormKernel(attrs, x, dim, rows, weight, bias, mean, variance);
}

/**
 * One training-mode forward, as tfjs and the torch module run it: the output normalized with the
 * batch's statistics and the running statistics moved toward them. A value with no rows (an
 * empty batch, the edges of graphs without edges) has no statistics: its output has no rows and
 * the running statistics stay as they were, where a mean over no rows would make them NaN.
 */
export function batchNormTrainingStep(
  attrs: BatchNormAttrs,
  x: Float64Array,
  dim: number,
  rows: number,
  weight: Float64Array,
  bias: Float64Array | undefined,
  running: { readonly mean: Float64Array | undefined; readonly variance: Float64Array },
): { y: Float64Array; runningMean: Float64Array | undefined; runningVar: Float64Array } {
  if (rows === 0) return { y: new Float64Array(0), runningMean: running.mean && Float64Array.from(running.mean), runningVar: Float64Array.from(running.variance) };
  const stats = batchNormStatistics(attrs, x, dim, rows);
  return {
    y: batchNormKernel(attrs, x, dim, rows, weight, bias, stats.mean, stats.variance),
    runningMean: running.mean && runningUpdate(running.mean, stats.mean, attrs.momentum),
    runningVar: runningUpdate(running.variance, stats.variance, attrs.momentum),
  };
}

/** e3nn's (and torch's) running update: running = (1 - momentum) running + momentum batch. */
export function runningUpdate(running: Float64Array, batch: Float64Array, momentum: number): Float64Array {
  return running.map((r, i) => (1 - momentum) * r + momentum * batch[i]!);
}
