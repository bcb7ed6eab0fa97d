// e3nn's S2Activation in tfjs (the reference is targets/ref/ops/sphereActivation.ts): the copies'
// coefficients are stacked to (n k, dimIn), go to the grid with one matMul, act applies
// pointwise, one matMul projects back to (n k, dimOut), and the degrees are laid out again.

import * as tf from '@tensorflow/tfjs-core';
import type { SphereActivationAttrs } from '../../../ir/types.js';
import { sphereActMatrices } from '../../../stdlib/nn/sphereActivation.js';
import { applyScaled } from './activation.js';

// Generated modules pass a fresh attrs literal per call: cache by grid and degrees (and backend).
const tensors = new Map<string, { toGrid: tf.Tensor2D; fromGrid: tf.Tensor2D }>();

function matricesOf(attrs: SphereActivationAttrs): { toGrid: tf.Tensor2D; fromGrid: tf.Tensor2D } {
  const key = `${tf.getBackend()}:${attrs.lmaxIn},${attrs.lmaxOut},${attrs.nTheta},${attrs.nPhi}`;
  const hit = tensors.get(key);
  if (hit && !hit.toGrid.isDisposed && !hit.fromGrid.isDisposed) return hit;
  const m = sphereActMatrices(attrs);
  const out = { toGrid: tf.keep(tf.tensor2d(Float32Array.from(m.toGrid), [m.dimIn, m.G])), fromGrid: tf.keep(tf.tensor2d(Float32Array.from(m.fromGrid), [m.G, m.dimOut])) };
  tensors.set(key, out);
  return out;
}

export function sphereActivation(x: tf.Tensor2D, attrs: SphereActivationAttrs): tf.Tensor2D {
  const n = x.shape[0];
  const k = attrs.mul;
  const width = k * (attrs.lmaxOut + 1) ** 2;
  if (n === 0) return tf.zeros([0, width]);
  const { toGrid, fromGrid } = matricesOf(attrs);
  const parts: tf.Tensor3D[] = [];
  for (let l = 0; l <= attrs.lmaxIn; l++) {
    const d = 2 * l + 1;
    parts.push(tf.reshape(tf.slice(x, [0, attrs.offsetsIn[l]!], [n, k * d]), [n, k, d]));
  }
  const coeffs = tf.reshape(parts.length === 1 ? parts[0]! : tf.concat(parts, 2), [n * k, (attrs.lmaxIn + 1) ** 2]);
  const onGrid = applyScaled(tf.matMul(coeffs, toGrid), attrs.act);
  const back = tf.reshape(tf.matMul(onGrid as tf.Tensor2D, fromGrid), [n, k, (attrs.lmaxOut + 1) ** 2]);
  // Out blocks in degree order, each (n, k (2l+1)); offsetsOut are consecutive by construction.
  const outs: tf.Tensor2D[] = [];
  for (let l = 0; l <= attrs.lmaxOut; l++) {
    const d = 2 * l + 1;
    outs.push(tf.reshape(tf.slice(back, [0, 0, l * l], [n, k, d]), [n, k * d]));
  }
  return outs.length === 1 ? outs[0]! : (tf.concat(outs, 1) as tf.Tensor2D);
}
