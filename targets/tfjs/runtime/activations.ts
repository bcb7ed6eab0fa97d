// Pointwise nonlinearities on scalar channels: e3nn's Activation (per block, act(x) * scale with
// the normalize2mom scale the IR carries), Gate, Norm and NormActivation. Channels are picked
// and placed with column gathers (runtime/kernels.ts), never with per-row slices.

import * as tf from '@tensorflow/tfjs-core';
import type { ActivationAttrs, GateAttrs, NormActivationAttrs, NormAttrs, ScaledActivation } from '../../../compiler/ir.js';
import { gatherCols } from './kernels.js';

const range = (start: number, size: number) => Array.from({ length: size }, (_, i) => start + i);

/** The raw function, as torch computes it. */
export function applyActivation(x: tf.Tensor, act: ScaledActivation['act']): tf.Tensor {
  switch (act) {
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'abs':
      return tf.abs(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'ssp':
      // softplus(x) - log 2 = log(0.5 e^x + 0.5)
      return tf.sub(tf.softplus(x), Math.LN2);
    case 'identity':
      return x;
  }
}

export function applyScaled<T extends tf.Tensor>(x: T, a: ScaledActivation): T {
  const y = applyActivation(x, a.act);
  return (a.scale === 1 ? y : tf.mul(y, a.scale)) as T;
}

/** Per scalar block of `blocks` (offset, size): act(x) * scale. */
export function activation(x: tf.Tensor2D, attrs: ActivationAttrs, blocks: readonly { offset: number; size: number }[]): tf.Tensor2D {
  const same = attrs.blocks.every((a) => a.act === attrs.blocks[0]!.act && a.scale === attrs.blocks[0]!.scale);
  if (same && attrs.blocks.length > 0) return applyScaled(x, attrs.blocks[0]!);
  const parts = blocks.map((b, i) => applyScaled(gatherCols(x, range(b.offset, b.size)), attrs.blocks[i]!));
  return tf.concat(parts, 1);
}

/** e3nn Gate after its sort-and-cut: activated scalars, then each gated copy times its gate. */
export function gate(x: tf.Tensor2D, attrs: GateAttrs, dimOut: number): tf.Tensor2D {
  const pieces: { offset: number; size: number; value: tf.Tensor2D }[] = [];
  for (const s of attrs.scalars) pieces.push({ offset: s.outOffset, size: s.size, value: applyScaled(gatherCols(x, range(s.inOffset, s.size)), s.act) });
  if (attrs.gated.length > 0) {
    const gates = tf.concat(attrs.gates.map((g) => applyScaled(gatherCols(x, range(g.inOffset, g.size)), g.act)), 1);
    for (const b of attrs.gated) {
      const size = b.mul * b.dim;
      // Gate channel gateStart + u repeated over the dim components of copy u.
      const spread = gatherCols(gates, Array.from({ length: size }, (_, c) => b.gateStart + Math.floor(c / b.dim)));
      pieces.push({ offset: b.outOffset, size, value: tf.mul(gatherCols(x, range(b.inOffset, size)), spread) });
    }
  }
  pieces.sort((a, b) => a.offset - b.offset);
  let at = 0;
  for (const p of pieces) {
    if (p.offset !== at) throw new Error(`gate: output channels ${at}..${p.offset} are not written`);
    at += p.size;
  }
  if (at !== dimOut) throw new Error(`gate: writes ${at} channels, the output has ${dimOut}`);
  return pieces.length === 1 ? pieces[0]!.value : tf.concat(pieces.map((p) => p.value), 1);
}

/** Sum of squares of every copy: (n, dim) -> (n, copies), by a 0/1 matrix product. */
function copySquares(x: tf.Tensor2D, blocks: NormAttrs['blocks'], dimIn: number): { sums: tf.Tensor2D; spread: number[] } {
  const copies = blocks.reduce((s, b) => s + b.mul, 0);
  const m = new Float32Array(dimIn * copies);
  const spread = new Array<number>(dimIn).fill(-1);
  let c = 0;
  for (const b of blocks) {
    for (let u = 0; u < b.mul; u++, c++) {
      for (let k = 0; k < b.dim; k++) {
        const row = b.offset + u * b.dim + k;
        m[row * copies + c] = 1;
        spread[row] = c;
      }
    }
  }
  return { sums: tf.matMul(tf.square(x), tf.tensor2d(m, [dimIn, copies])), spread };
}

/** One 0e per copy: its Euclidean norm. (A 1e-24 under the root keeps the gradient finite at 0.) */
export function norm(x: tf.Tensor2D, attrs: NormAttrs): tf.Tensor2D {
  const { sums } = copySquares(x, attrs.blocks, x.shape[1]);
  return tf.sqrt(tf.add(tf.relu(sums), 1e-24)) as tf.Tensor2D;
}

/** e3nn NormActivation(normalize=True): x * act(n) / n with n = sqrt(max(|x|^2, 1e-16)). */
export function normActivation(x: tf.Tensor2D, attrs: NormActivationAttrs): tf.Tensor2D {
  const { sums, spread } = copySquares(x, attrs.blocks, x.shape[1]);
  if (spread.some((c) => c < 0)) throw new Error('norm_activation: some channels belong to no block');
  const n = tf.sqrt(tf.maximum(sums, 1e-16));
  const factor = tf.div(applyScaled(n, attrs.act), n);
  return tf.mul(x, gatherCols(factor as tf.Tensor2D, spread));
}
