// e3nn's Gate in tfjs (the reference is targets/ref/ops/gate.ts). Channels are picked and placed
// with column gathers (customKernels.ts), never with per-row slices.

import * as tf from '@tensorflow/tfjs-core';
import type { GateAttrs } from '../../../ir/types.js';
import { applyScaled } from './activation.js';
import { gatherCols } from './customKernels.js';

const range = (start: number, size: number) => Array.from({ length: size }, (_, i) => start + i);

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
