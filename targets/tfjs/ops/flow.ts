// Flows on torus grids in tfjs (the reference is targets/ref/ops/flow.ts): circular
// convolutions as tf.conv2d over frames padded by wrapping, the flow-equivariant recurrence
// unrolled over time with each velocity channel's state moved by a gather, and the reductions
// over cells, velocities and frames. Layouts are the IR's: grid2d rows are cells (frame, y, x),
// lifted features channel-major, velocity-minor. Every step is differentiable.

import * as tf from '@tensorflow/tfjs-core';
import type { Conv2dAttrs, FlowRnnAttrs } from '../../../ir/types.js';
import { applyScaled } from './activation.js';
import type { Batch } from './graph.js';
import { gatherCols, gatherRows } from './customKernels.js';

/**
 * Column indices for a circular im2col: frames are rows of (cell, channel, velocity) columns
 * (the IR's layout, `nv` = 1 when not lifted); the result has, per velocity v, cell p, window
 * offset (ky, kx) and channel c, the column of cell p + (ky - r, kx - r) - shift(v), so that a
 * matMul with the (k², Cin, Cout) weights is the circular cross-correlation of every velocity
 * channel, each first moved by shift(v) (the recurrence's move; zero for plain convolutions).
 */
function im2colIndex(size: number, kernel: number, channels: number, nv: number, shift: (v: number) => readonly [number, number]): number[] {
  const r = (kernel - 1) >> 1;
  const mod = (a: number) => ((a % size) + size) % size;
  const idx: number[] = [];
  for (let v = 0; v < nv; v++) {
    const [vx, vy] = shift(v);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let ky = 0; ky < kernel; ky++) {
          for (let kx = 0; kx < kernel; kx++) {
            const cell = mod(y + ky - r - vy) * size + mod(x + kx - r - vx);
            for (let c = 0; c < channels; c++) idx.push((cell * channels + c) * nv + v);
          }
        }
      }
    }
  }
  return idx;
}

/**
 * Rows (B, N²·C·nv) -> (B·nv·N², Cout): the correlation of each velocity channel of each frame,
 * rows ordered (frame, v, cell). One gather and one matMul, both differentiable on every
 * backend (tf.conv2d's filter gradient is missing on wasm).
 */
function correlate(frames: tf.Tensor2D, index: readonly number[], kernel: number, cin: number, cout: number, weight: tf.Tensor, factor: number): tf.Tensor2D {
  const cols = tf.reshape(gatherCols(frames, index), [-1, kernel * kernel * cin]) as tf.Tensor2D;
  return tf.matMul(cols, tf.mul(tf.reshape(weight, [kernel * kernel * cin, cout]), factor) as tf.Tensor2D);
}

export function conv2d(x: tf.Tensor2D, attrs: Conv2dAttrs, weight: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor2D {
  const { size, kernel, inChannels: cin, outChannels: cout, lifted: nv } = attrs;
  const cells = size * size;
  const frames = x.shape[0] / cells;
  const index = im2colIndex(size, kernel, cin, nv, () => [0, 0]);
  let y: tf.Tensor = correlate(tf.reshape(x, [frames, cells * cin * nv]) as tf.Tensor2D, index, kernel, cin, cout, weight, attrs.factor);
  if (bias) y = tf.add(y, bias);
  // (frame, v, cell, c) -> rows (frame, cell), features (c, v).
  const out = tf.transpose(tf.reshape(applyScaled(y, attrs.act), [frames, nv, cells, cout]), [0, 2, 3, 1]);
  return tf.reshape(out, [frames * cells, cout * nv]) as tf.Tensor2D;
}

/** Frames of sequence s: [start, end) in frame units. */
function sequences(batch: Batch, size: number): [number, number][] {
  const cells = size * size;
  const out: [number, number][] = [];
  for (let g = 0; g < batch.numGraphs; g++) {
    const a = batch.graphPtr[g]!;
    const b = batch.graphPtr[g + 1]!;
    if (a % cells !== 0 || b % cells !== 0) throw new RangeError(`a sequence of ${size}x${size} frames needs a multiple of ${cells} cell rows, got ${b - a}`);
    out.push([a / cells, b / cells]);
  }
  return out;
}

const rowIndex = (rows: number[]) => tf.tensor1d(Int32Array.from(rows), 'int32');

/**
 * The flow-equivariant recurrence. Sequences of equal length run together (one gather and two
 * matMuls per time step); the state is kept as one row per sequence of (v, cell, c) columns,
 * and the frames come back in the batch's order.
 */
export function flowRnn(x: tf.Tensor2D, batch: Batch, attrs: FlowRnnAttrs, weightIn: tf.Tensor, weightRec: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const { size, hidden, kernel, inChannels: cin, velocities } = attrs;
  const nv = velocities.length;
  const cells = size * size;
  const xDim = attrs.inLifted ? cin * nv : cin;
  const inIndex = attrs.inLifted ? im2colIndex(size, kernel, cin, nv, () => [0, 0]) : im2colIndex(size, kernel, cin, 1, () => [0, 0]);
  // The state's columns are (v, cell, c).
  const recIndex = recurrentIndex(size, kernel, hidden, velocities);
  const seqs = sequences(batch, size);
  const byLength = new Map<number, number[]>();
  seqs.forEach(([a, b], s) => byLength.set(b - a, [...(byLength.get(b - a) ?? []), s]));
  // Every step's frames as rows of (cell, c, v) columns, all groups stacked; framesAt[s][t] is
  // the row of frame t of sequence s.
  const parts: tf.Tensor[] = [];
  const framesAt: number[][] = seqs.map(() => []);
  let row = 0;
  for (const [length, members] of byLength) {
    const S = members.length;
    let h: tf.Tensor2D = tf.zeros([S, nv * cells * hidden]);
    for (let t = 0; t < length; t++) {
      const rows = members.flatMap((s) => Array.from({ length: cells }, (_, i) => (seqs[s]![0] + t) * cells + i));
      const xt = tf.reshape(gatherRows(x, rowIndex(rows)), [S, cells * xDim]) as tf.Tensor2D;
      // W_in ⋆ x_t: once per frame (broadcast over velocities) unless the input is lifted.
      const drive = tf.reshape(correlate(xt, inIndex, kernel, cin, hidden, weightIn, attrs.inFactor), [S, attrs.inLifted ? nv : 1, cells, hidden]);
      const rec = tf.reshape(correlate(h, recIndex, kernel, hidden, hidden, weightRec, attrs.recFactor), [S, nv, cells, hidden]);
      const next = applyScaled(tf.add(tf.add(rec, drive), bias), attrs.act);
      h = tf.reshape(next, [S, nv * cells * hidden]) as tf.Tensor2D;
      parts.push(tf.reshape(tf.transpose(next, [0, 2, 3, 1]), [S, cells * hidden * nv]));
      members.forEach((s, k) => (framesAt[s]![t] = row + k));
      row += S;
    }
  }
  // (Stacking along time would differentiate through a slow Unpack on wasm; rows gather fast.)
  const stacked = (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as tf.Tensor2D;
  const frames = gatherRows(stacked, tf.tensor1d(Int32Array.from(framesAt.flat()), 'int32'));
  return tf.reshape(frames, [-1, hidden * nv]) as tf.Tensor2D;
}

/** im2col over the state's (v, cell, c) columns, each velocity channel moved by its velocity first. */
function recurrentIndex(size: number, kernel: number, hidden: number, velocities: FlowRnnAttrs['velocities']): number[] {
  const cells = size * size;
  const r = (kernel - 1) >> 1;
  const mod = (a: number) => ((a % size) + size) % size;
  const idx: number[] = [];
  velocities.forEach(([vx, vy], v) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let ky = 0; ky < kernel; ky++) {
          for (let kx = 0; kx < kernel; kx++) {
            // moved(p) = h(p - v): the window cell p + (ky - r, kx - r), read at p + (ky - r, kx - r) - v.
            const cell = mod(y + ky - r - vy) * size + mod(x + kx - r - vx);
            for (let c = 0; c < hidden; c++) idx.push((v * cells + cell) * hidden + c);
          }
        }
      }
    }
  });
  return idx;
}

function reduceAxis(x: tf.Tensor, axis: number, reduce: 'sum' | 'mean' | 'max'): tf.Tensor {
  return reduce === 'sum' ? tf.sum(x, axis) : reduce === 'mean' ? tf.mean(x, axis) : tf.max(x, axis);
}

export function poolSpace(x: tf.Tensor2D, size: number, reduce: 'sum' | 'mean' | 'max'): tf.Tensor2D {
  const cells = size * size;
  return reduceAxis(tf.reshape(x, [x.shape[0] / cells, cells, x.shape[1]]), 1, reduce) as tf.Tensor2D;
}

export function poolVelocity(x: tf.Tensor2D, velocities: number, reduce: 'sum' | 'mean' | 'max'): tf.Tensor2D {
  const channels = x.shape[1] / velocities;
  return reduceAxis(tf.reshape(x, [x.shape[0], channels, velocities]), 2, reduce) as tf.Tensor2D;
}

export function poolTime(x: tf.Tensor2D, batch: Batch, size: number, reduce: 'sum' | 'mean' | 'max' | 'last'): tf.Tensor2D {
  const seqs = sequences(batch, size);
  if (reduce === 'last') return gatherRows(x, tf.tensor1d(Int32Array.from(seqs.map(([, b]) => b - 1)), 'int32'));
  return tf.concat(seqs.map(([a, b]) => tf.reshape(reduceAxis(tf.slice(x, [a, 0], [b - a, -1]), 0, reduce), [1, x.shape[1]])), 0) as tf.Tensor2D;
}
