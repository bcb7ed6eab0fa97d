// Values with no rows (the edges of graphs without edges, an empty batch of nodes) flow through
// the ops like any other: each op gives its (0, dim) result, and the reductions that follow
// (scatter, pool) give zeros. Two places in tfjs fail on them, each fixed here once for every op
// rather than by a guard in each op:
// - gradients: the gradient of x (0, d) + b (1, d) with respect to b sums dy over the broadcast
//   axes, which tfjs finds by comparing each axis with 1, so the 0-row axis is not summed and
//   reshaping dy (0, d) to b's (1, d) throws (Add, Sub, Multiply, RealDiv, every broadcasting
//   kernel). Rule: when all of an op's outputs are empty, no output element depends on its
//   inputs, so each input's gradient is zeros of its shape; a non-empty dy runs the op's own.
// - layout kernels on empty tensors: the wasm backend's Transpose divides by zero, and the cpu
//   backend's Concat returns a plain array that its Slice cannot read. Rule: a Transpose or
//   Concat whose output has no elements returns the empty tensor of its shape without running
//   the kernel.

import * as tf from '@tensorflow/tfjs-core';

let installed = false;

/** The kernels registered on these backends (tfjs has no list of gradients). */
function kernelNames(backends: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const b of backends) for (const k of tf.getKernelsForBackend(b)) names.add(k.kernelName);
  return names;
}

function emptyOutputs(dy: tf.Tensor | tf.Tensor[]): boolean {
  return Array.isArray(dy) ? dy.length > 0 && dy.every((d) => d.size === 0) : dy.size === 0;
}

/**
 * An input's saved tensor by the key its gradient map uses: the name in `inputsToSave`, or
 * the position when the kernel saves all its inputs (AddN's gradients are keyed 0, 1, ...).
 */
function savedInput(config: tf.GradConfig, saved: tf.Tensor[], key: string): tf.Tensor | undefined {
  const named = config.inputsToSave?.indexOf(key) ?? -1;
  if (named >= 0) return saved[named];
  if (config.saveAllInputs && /^\d+$/.test(key)) return saved[Number(key)];
  return undefined;
}

function zeroRowSafe(config: tf.GradConfig): tf.GradConfig {
  const gradFunc: tf.GradFunc = (dy, saved, attrs) => {
    const grads = config.gradFunc(dy, saved, attrs);
    if (!emptyOutputs(dy)) return grads;
    const out: Record<string, () => tf.Tensor> = {};
    for (const [key, own] of Object.entries(grads)) {
      const x = savedInput(config, saved, key);
      // float32 whatever the input's dtype: tfjs wants float32 gradients (a Select's condition is bool).
      out[key] = x ? () => tf.zeros(x.shape) : own;
    }
    return out;
  };
  return { ...config, gradFunc };
}

interface EmptyMaker {
  makeOutput?(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.TypedArray): tf.TensorInfo;
}

/** An empty tensor made by a kernel of this backend (the wasm backend allocates on its heap). */
function emptyOutput(backendName: string, backend: unknown, shape: number[], dtype: tf.DataType): tf.TensorInfo {
  const b = backend as EmptyMaker;
  if (backendName === 'wasm') return b.makeOutput!(shape, dtype);
  return b.makeTensorInfo!(shape, dtype, dtype === 'int32' || dtype === 'bool' ? new Int32Array(0) : new Float32Array(0));
}

type ShapeOf = (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => number[];

/** The output shapes of the layout kernels whose empty cases fail, from their inputs and attributes. */
const LAYOUT_KERNELS: Readonly<Record<string, ShapeOf>> = {
  Transpose: (inputs, attrs) => (attrs.perm as number[]).map((p) => inputs.x!.shape[p]!),
  Concat: (inputs, attrs) => {
    const xs = Object.values(inputs) as tf.TensorInfo[];
    const rank = xs[0]!.shape.length;
    const axis = (((attrs.axis as number) % rank) + rank) % rank;
    return xs[0]!.shape.map((d, i) => (i === axis ? xs.reduce((sum, x) => sum + x.shape[i]!, 0) : d));
  },
};

/** The layout kernels of one backend: an empty output is made without running the kernel. */
function emptySafeLayout(backendName: string): void {
  for (const [kernelName, shapeOf] of Object.entries(LAYOUT_KERNELS)) {
    const config = tf.getKernel(kernelName, backendName);
    if (!config) continue;
    const own = config.kernelFunc;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const shape = shapeOf(args.inputs, args.attrs ?? {});
        if (!shape.includes(0)) return own(args);
        const dtype = Object.values(args.inputs)[0]!.dtype;
        return emptyOutput(backendName, args.backend, shape, dtype);
      },
    });
  }
}

/**
 * Install both rules (idempotent): over the gradient of every kernel registered on `backends`
 * by then (eqv's own included), and over their layout kernels.
 */
export function installEmptyValueRules(backends: readonly string[]): void {
  if (installed) return;
  installed = true;
  for (const name of kernelNames(backends)) {
    const config = tf.getGradient(name);
    if (config) tf.registerGradient(zeroRowSafe(config));
  }
  for (const b of backends) emptySafeLayout(b);
}
