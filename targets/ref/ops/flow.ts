// Flows on torus grids in float64, with plain loops: the oracle for the tfjs and wgsl kernels
// and for the generated flow-equivariance tests. Layout (docs/ir.md): a grid2d value has one row
// per cell of every frame (frame-major, then y, then x); a lifted feature row is channel-major,
// velocity-minor (index c * nv + v).

import type { Conv2dAttrs, FlowRnnAttrs } from '../../../ir/types.js';
import { applyScaled } from '../../../stdlib/nn/activations.js';

/** Where each sequence's frames start (length numSequences + 1), from the batch's cell rows. */
export function frameStarts(graphPtr: Int32Array, size: number): Int32Array {
  const cells = size * size;
  const out = new Int32Array(graphPtr.length);
  for (let g = 0; g < graphPtr.length; g++) {
    if (graphPtr[g]! % cells !== 0) throw new RangeError(`a sequence of ${size}x${size} frames needs a multiple of ${cells} cell rows, got ${graphPtr[g]! - (g > 0 ? graphPtr[g - 1]! : 0)}`);
    out[g] = graphPtr[g]! / cells;
  }
  return out;
}

/**
 * out[cell, (co, v)] += factor · Σ W[ky, kx, ci, co] · x[(y + ky - r, x + kx - r), (ci, v)] over
 * one frame, indices modulo size: circular cross-correlation (tf.conv2d's orientation).
 */
function correlateFrame(out: Float64Array, outOffset: number, outDim: number, x: Float64Array, xOffset: number, xDim: number, w: Float64Array, factor: number, size: number, kernel: number, cin: number, cout: number, nv: number, xVelocity: (v: number) => number): void {
  const r = (kernel - 1) >> 1;
  for (let y = 0; y < size; y++) {
    for (let xx = 0; xx < size; xx++) {
      const o = outOffset + (y * size + xx) * outDim;
      for (let ky = 0; ky < kernel; ky++) {
        const sy = (((y + ky - r) % size) + size) % size;
        for (let kx = 0; kx < kernel; kx++) {
          const sx = (((xx + kx - r) % size) + size) % size;
          const src = xOffset + (sy * size + sx) * xDim;
          const wBase = (ky * kernel + kx) * cin * cout;
          for (let ci = 0; ci < cin; ci++) {
            for (let co = 0; co < cout; co++) {
              const wv = factor * w[wBase + ci * cout + co]!;
              if (wv === 0) continue;
              for (let v = 0; v < nv; v++) out[o + co * nv + v] += wv * x[src + ci * (xDim / cin) + xVelocity(v)]!;
            }
          }
        }
      }
    }
  }
}

/** Circular convolution of every frame; `frames` frames of size x size cells. */
export function conv2dKernel(attrs: Conv2dAttrs, x: Float64Array, weight: Float64Array, bias: Float64Array | undefined, rows: number): Float64Array {
  const { size, kernel, inChannels: cin, outChannels: cout, lifted: nv } = attrs;
  const cells = size * size;
  const frames = rows / cells;
  const outDim = cout * nv;
  const xDim = cin * nv;
  const out = new Float64Array(rows * outDim);
  const f = applyScaled(attrs.act);
  for (let t = 0; t < frames; t++) {
    correlateFrame(out, t * cells * outDim, outDim, x, t * cells * xDim, xDim, weight, attrs.factor, size, kernel, cin, cout, nv, (v) => v);
  }
  for (let i = 0; i < rows; i++) {
    for (let co = 0; co < cout; co++) {
      const b = bias ? bias[co]! : 0;
      for (let v = 0; v < nv; v++) {
        const k = i * outDim + co * nv + v;
        out[k] = f(out[k]! + b);
      }
    }
  }
  return out;
}

/** h_{t-1}(v) moved by v: shifted(y, x) = h(y - vy, x - vx), for every lifted channel. */
function shiftByVelocity(h: Float64Array, size: number, hidden: number, velocities: FlowRnnAttrs['velocities']): Float64Array {
  const nv = velocities.length;
  const dim = hidden * nv;
  const out = new Float64Array(h.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const to = (y * size + x) * dim;
      for (let v = 0; v < nv; v++) {
        const [vx, vy] = velocities[v]!;
        const from = ((((y - vy) % size) + size) % size) * size + ((((x - vx) % size) + size) % size);
        for (let c = 0; c < hidden; c++) out[to + c * nv + v] = h[from * dim + c * nv + v]!;
      }
    }
  }
  return out;
}

/** The flow-equivariant recurrence over every sequence of the batch (FlowRnnAttrs). */
export function flowRnnKernel(attrs: FlowRnnAttrs, x: Float64Array, weightIn: Float64Array, weightRec: Float64Array, bias: Float64Array, starts: Int32Array): Float64Array {
  const { size, hidden, kernel, inChannels: cin, velocities } = attrs;
  const nv = velocities.length;
  const cells = size * size;
  const dim = hidden * nv;
  const xDim = attrs.inLifted ? cin * nv : cin;
  const frames = starts[starts.length - 1]!;
  const out = new Float64Array(frames * cells * dim);
  const f = applyScaled(attrs.act);
  const inVelocity = attrs.inLifted ? (v: number) => v : () => 0;
  for (let s = 0; s + 1 < starts.length; s++) {
    let h = new Float64Array(cells * dim);
    for (let t = starts[s]!; t < starts[s + 1]!; t++) {
      const pre = new Float64Array(cells * dim);
      correlateFrame(pre, 0, dim, x, t * cells * xDim, xDim, weightIn, attrs.inFactor, size, kernel, cin, hidden, nv, inVelocity);
      correlateFrame(pre, 0, dim, shiftByVelocity(h, size, hidden, velocities), 0, dim, weightRec, attrs.recFactor, size, kernel, hidden, hidden, nv, (v) => v);
      for (let i = 0; i < cells; i++) for (let c = 0; c < hidden; c++) for (let v = 0; v < nv; v++) pre[i * dim + c * nv + v] = f(pre[i * dim + c * nv + v]! + bias[c]!);
      out.set(pre, t * cells * dim);
      h = pre;
    }
  }
  return out;
}

/** grid2d -> seq: reduce over the cells of each frame, feature by feature. */
export function poolSpaceKernel(x: Float64Array, dim: number, size: number, reduce: 'sum' | 'mean' | 'max'): Float64Array {
  const cells = size * size;
  const frames = x.length / (cells * dim);
  const out = new Float64Array(frames * dim);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < dim; k++) {
      let acc = reduce === 'max' ? -Infinity : 0;
      for (let i = 0; i < cells; i++) {
        const v = x[(t * cells + i) * dim + k]!;
        acc = reduce === 'max' ? Math.max(acc, v) : acc + v;
      }
      out[t * dim + k] = reduce === 'mean' ? acc / cells : acc;
    }
  }
  return out;
}

/** Lifted channels (c, v) -> channels c, reducing over v. */
export function poolVelocityKernel(x: Float64Array, channels: number, nv: number, reduce: 'sum' | 'mean' | 'max'): Float64Array {
  const rows = x.length / (channels * nv);
  const out = new Float64Array(rows * channels);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < channels; c++) {
      let acc = reduce === 'max' ? -Infinity : 0;
      for (let v = 0; v < nv; v++) {
        const val = x[(i * channels + c) * nv + v]!;
        acc = reduce === 'max' ? Math.max(acc, val) : acc + val;
      }
      out[i * channels + c] = reduce === 'mean' ? acc / nv : acc;
    }
  }
  return out;
}

/** seq -> graph: reduce over the frames of each sequence (`last`: the final frame). */
export function poolTimeKernel(x: Float64Array, dim: number, starts: Int32Array, reduce: 'sum' | 'mean' | 'max' | 'last'): Float64Array {
  const n = starts.length - 1;
  const out = new Float64Array(n * dim);
  for (let s = 0; s < n; s++) {
    const a = starts[s]!;
    const b = starts[s + 1]!;
    for (let k = 0; k < dim; k++) {
      if (reduce === 'last') {
        out[s * dim + k] = b > a ? x[(b - 1) * dim + k]! : 0;
        continue;
      }
      let acc = reduce === 'max' ? (b > a ? -Infinity : 0) : 0;
      for (let t = a; t < b; t++) acc = reduce === 'max' ? Math.max(acc, x[t * dim + k]!) : acc + x[t * dim + k]!;
      out[s * dim + k] = reduce === 'mean' ? (b > a ? acc / (b - a) : 0) : acc;
    }
  }
  return out;
}
