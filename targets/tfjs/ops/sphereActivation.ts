// e3nn's S2Activation in tfjs (the reference is targets/ref/ops/sphereActivation.ts): the copies'
// coefficients are stacked to (n k, dimIn), go to the grid with one matMul, act applies
// pointwise, one matMul projects back to (n k, dimOut), and the degrees are laid out again.

import * as tf from '@tensorflow/tfjs-core';
import type { SphereActivationAttrs } from '../../../ir/types.js';
import { sphereActMatrices } from '../../../stdlib/nn/sphereActivation.js';
import { applyScaled } from './activation.js';
import { mlp } from './features.js';

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

export function sphereActivation(x: tf.Tensor2D, attrs: SphereActivationAttrs, weights: readonly tf.Tensor[] = []): tf.Tensor2D {
  const n = x.shape[0];
  const k = attrs.mul;
  const kOut = attrs.mulOut;
  const dimIn = (attrs.lmaxIn + 1) ** 2;
  const dimOut = (attrs.lmaxOut + 1) ** 2;
  const { toGrid, fromGrid } = matricesOf(attrs);
  const G = toGrid.shape[1];
  const parts: tf.Tensor3D[] = [];
  for (let l = 0; l <= attrs.lmaxIn; l++) {
    const d = 2 * l + 1;
    parts.push(tf.reshape(tf.slice(x, [0, attrs.offsetsIn[l]!], [n, k * d]), [n, k, d]));
  }
  const coeffs = tf.reshape(parts.length === 1 ? parts[0]! : tf.concat(parts, 2), [n * k, dimIn]);
  const onGrid = tf.matMul(coeffs, toGrid);
  let h: tf.Tensor2D;
  if (attrs.mlp) {
    // (n k, G) -> (n G, k): the MLP mixes the copies at each point.
    const points = tf.reshape(tf.transpose(tf.reshape(onGrid, [n, k, G]), [0, 2, 1]), [n * G, k]) as tf.Tensor2D;
    h = tf.reshape(tf.transpose(tf.reshape(mlp(points, attrs.mlp, weights), [n, G, kOut]), [0, 2, 1]), [n * kOut, G]) as tf.Tensor2D;
  } else {
    h = applyScaled(onGrid, attrs.act) as tf.Tensor2D;
  }
  const back = tf.reshape(tf.matMul(h, fromGrid), [n, kOut, dimOut]);
  // Out blocks in degree order, each (n, kOut (2l+1)); offsetsOut are consecutive by construction.
  const outs: tf.Tensor2D[] = [];
  for (let l = 0; l <= attrs.lmaxOut; l++) {
    const d = 2 * l + 1;
    outs.push(tf.reshape(tf.slice(back, [0, 0, l * l], [n, kOut, d]), [n, kOut * d]));
  }
  return outs.length === 1 ? outs[0]! : (tf.concat(outs, 1) as tf.Tensor2D);
}
