// Index kernels the lowering leans on: row gathers (node -> edge), segment sums (edge -> node,
// node -> graph) and column gathers/scatters (re-layouts between the multiplicity-major feature
// layout and the layouts the tensor products want). tfjs's own kernels for these are the slow
// ones on CPU: on `wasm`, Gather moves 14M elements/s and UnsortedSegmentSum does not exist;
// on `cpu`, Gather moves 8M/s and a column slice of an (n, c) tensor 1M/s (docs/benchmarks.md).
// These are registered as tfjs custom kernels (with gradients) for `cpu` and `wasm`: plain
// loops over the backend's memory. Other backends (webgl, webgpu) fall back to tfjs's own ops.

import * as tf from '@tensorflow/tfjs-core';
import { installEmptyValueRules } from './emptyValues.js';

type Backend = { readSync(dataId: unknown): unknown };
type WasmBackend = Backend & {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
};
type CpuBackend = Backend & { makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo };

export const GATHER_ROWS = 'EqvGatherRows';
export const SEGMENT_SUM = 'EqvSegmentSum';
export const GATHER_COLS = 'EqvGatherCols';
export const SCATTER_COLS = 'EqvScatterCols';

export const FAST_BACKENDS = ['cpu', 'wasm'] as const;

/**
 * Compute an output with a JS loop on either backend. `fill` receives the output array (zeroed)
 * after the inputs are read (on wasm the heap may grow when the output is allocated, so the
 * input views are taken afterwards).
 */
function output(backendName: string, backend: unknown, shape: number[], inputs: readonly tf.TensorInfo[], fill: (out: Float32Array, ins: ArrayLike<number>[]) => void): tf.TensorInfo {
  const size = shape.reduce((a, b) => a * b, 1);
  if (backendName === 'wasm') {
    const b = backend as WasmBackend;
    const out = b.makeOutput(shape, 'float32');
    const view = b.typedArrayFromHeap(out);
    view.fill(0);
    fill(view, inputs.map((t) => b.readSync(t.dataId) as ArrayLike<number>));
    return out;
  }
  const b = backend as CpuBackend;
  const values = new Float32Array(size);
  fill(values, inputs.map((t) => b.readSync(t.dataId) as ArrayLike<number>));
  return b.makeTensorInfo(shape, 'float32', values);
}

function gatherRowsInto(out: Float32Array, x: ArrayLike<number>, idx: ArrayLike<number>, c: number): void {
  const k = idx.length;
  for (let r = 0; r < k; r++) {
    const s = idx[r]! * c;
    const o = r * c;
    for (let j = 0; j < c; j++) out[o + j] = x[s + j]!;
  }
}

function segmentSumInto(out: Float32Array, x: ArrayLike<number>, seg: ArrayLike<number>, c: number): void {
  const k = seg.length;
  for (let r = 0; r < k; r++) {
    const o = seg[r]! * c;
    const s = r * c;
    for (let j = 0; j < c; j++) out[o + j] += x[s + j]!;
  }
}

/** Maximal runs of consecutive columns in an index list: [first index, first column, length]. */
const runsCache = new WeakMap<readonly number[], Int32Array>();
function columnRuns(idx: readonly number[]): Int32Array {
  let runs = runsCache.get(idx);
  if (runs) return runs;
  const out: number[] = [];
  for (let j = 0; j < idx.length; ) {
    let len = 1;
    while (j + len < idx.length && idx[j + len] === idx[j]! + len) len++;
    out.push(j, idx[j]!, len);
    j += len;
  }
  runs = Int32Array.from(out);
  runsCache.set(idx, runs);
  return runs;
}

function gatherColsInto(out: Float32Array, x: ArrayLike<number>, idx: readonly number[], rows: number, c: number): void {
  const k = idx.length;
  const runs = columnRuns(idx);
  const xs = x as Float32Array;
  // Runs of consecutive columns are copied by plain loops (no per-row subarray allocations).
  for (let r = 0; r < rows; r++) {
    const s = r * c;
    const o = r * k;
    for (let q = 0; q < runs.length; q += 3) {
      const to = o + runs[q]!;
      const from = s + runs[q + 1]!;
      const len = runs[q + 2]!;
      for (let t = 0; t < len; t++) out[to + t] = xs[from + t]!;
    }
  }
}

function scatterColsInto(out: Float32Array, x: ArrayLike<number>, idx: readonly number[], rows: number, width: number): void {
  const k = idx.length;
  for (let r = 0; r < rows; r++) {
    const s = r * k;
    const o = r * width;
    for (let j = 0; j < k; j++) out[o + idx[j]!] += x[s + j]!;
  }
}

let registered = false;

/** Register the kernels and their gradients (idempotent). */
export function registerEqvKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of FAST_BACKENDS) {
    const add = (kernelName: string, kernelFunc: tf.KernelFunc) => {
      if (!tf.getKernel(kernelName, backendName)) tf.registerKernel({ kernelName, backendName, kernelFunc });
    };
    add(GATHER_ROWS, ({ inputs, backend }) => {
      const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const c = x.shape[1]!;
      return output(backendName, backend, [indices.shape[0]!, c], [x, indices], (out, [xv, iv]) => gatherRowsInto(out, xv!, iv!, c));
    });
    add(SEGMENT_SUM, ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const c = x.shape[1]!;
      const n = (attrs as { numSegments: number }).numSegments;
      return output(backendName, backend, [n, c], [x, segmentIds], (out, [xv, sv]) => segmentSumInto(out, xv!, sv!, c));
    });
    add(GATHER_COLS, ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const idx = (attrs as { indices: number[] }).indices;
      const rows = x.shape[0]!;
      return output(backendName, backend, [rows, idx.length], [x], (out, [xv]) => gatherColsInto(out, xv!, idx, rows, x.shape[1]!));
    });
    add(SCATTER_COLS, ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const { indices, width } = attrs as { indices: number[]; width: number };
      const rows = x.shape[0]!;
      return output(backendName, backend, [rows, width], [x], (out, [xv]) => scatterColsInto(out, xv!, indices, rows, width));
    });
  }
  const grad = (kernelName: string, inputsToSave: string[], gradFunc: tf.GradFunc) => {
    if (!tf.getGradient(kernelName)) tf.registerGradient({ kernelName, inputsToSave, gradFunc });
  };
  grad(GATHER_ROWS, ['x', 'indices'], (dy, saved) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor1D];
    return { x: () => segmentSum(dy as tf.Tensor2D, indices, x.shape[0]!), indices: () => tf.zerosLike(indices) };
  });
  grad(SEGMENT_SUM, ['segmentIds'], (dy, saved) => {
    const [segmentIds] = saved as [tf.Tensor1D];
    return { x: () => gatherRows(dy as tf.Tensor2D, segmentIds), segmentIds: () => tf.zerosLike(segmentIds) };
  });
  grad(GATHER_COLS, ['x'], (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor2D];
    return { x: () => scatterCols(dy as tf.Tensor2D, (attrs as { indices: number[] }).indices, x.shape[1]) };
  });
  grad(SCATTER_COLS, [], (dy, _saved, attrs) => ({ x: () => gatherCols(dy as tf.Tensor2D, (attrs as { indices: number[] }).indices) }));
  // Comparisons are piecewise constant: zero gradient. tfjs registers none, so a mask computed
  // from a value the gradient flows through (a cutoff in a radial basis) would stop autograd.
  for (const kernelName of ['Less', 'LessEqual', 'Greater', 'GreaterEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr']) {
    grad(kernelName, ['a', 'b'], (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) }));
  }
  grad('LogicalNot', ['x'], (_dy, saved) => ({ x: () => tf.zerosLike(saved[0]!) }));
  // Last, so that it covers the gradients above too: values with no rows (emptyValues.ts).
  installEmptyValueRules(['cpu', 'wasm', 'webgl', 'webgpu']);
}

function fast(): boolean {
  const name = tf.getBackend();
  return name === 'cpu' || name === 'wasm';
}

/** x[indices] along rows: (n, c) -> (k, c). */
export function gatherRows(x: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  if (!fast()) return tf.gather(x, indices, 0);
  return tf.engine().runKernel(GATHER_ROWS, { x, indices } as unknown as tf.NamedTensorMap, {}) as tf.Tensor2D;
}

/** Rows of x summed into numSegments rows by segmentIds: (k, c) -> (numSegments, c). */
export function segmentSum(x: tf.Tensor2D, segmentIds: tf.Tensor1D, numSegments: number): tf.Tensor2D {
  if (!fast()) return tf.unsortedSegmentSum(x, segmentIds, numSegments);
  return tf.engine().runKernel(SEGMENT_SUM, { x, segmentIds } as unknown as tf.NamedTensorMap, { numSegments }) as tf.Tensor2D;
}

/** Columns of x in the order of `indices` (repeats allowed): (n, c) -> (n, k). */
export function gatherCols(x: tf.Tensor2D, indices: readonly number[]): tf.Tensor2D {
  if (!fast()) return tf.gather(x, tf.tensor1d(indices as number[], 'int32'), 1);
  return tf.engine().runKernel(GATHER_COLS, { x } as unknown as tf.NamedTensorMap, { indices: indices as number[] }) as tf.Tensor2D;
}

/** out[:, indices[j]] += x[:, j]: (n, k) -> (n, width). */
export function scatterCols(x: tf.Tensor2D, indices: readonly number[], width: number): tf.Tensor2D {
  if (!fast()) {
    // One-hot (k, width) matrix: a matMul is the portable scatter-add of columns.
    const m = new Float32Array(indices.length * width);
    indices.forEach((c, j) => (m[j * width + c] = 1));
    return tf.matMul(x, tf.tensor2d(m, [indices.length, width]));
  }
  return tf.engine().runKernel(SCATTER_COLS, { x } as unknown as tf.NamedTensorMap, { indices: indices as number[], width }) as tf.Tensor2D;
}
