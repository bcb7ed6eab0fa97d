// `stress` (the strain derivative per volume) by tfjs's autograd: the generated module passes a
// closure that recomputes the energy from positions `p` and cell `c` (the nodes between them;
// the radius graph, its shifts and position-free features are constants from forward). Here a
// strain ε per graph deforms both, p_i -> (I + ε_g(i)) p_i and each lattice vector c_k ->
// (I + ε_g) c_k, and tf.grad gives ∂E/∂ε at ε = 0, projected onto the basis of symmetric
// tensors (stdlib/groups/o3/symmetricTensor.ts) and divided by each cell's volume.

import * as tf from '@tensorflow/tfjs-core';
import { gatherRows } from './customKernels.js';
import type { Batch } from './graph.js';
import { cellVolume, SYMMETRIC_BASIS } from '../../../stdlib/groups/o3/symmetricTensor.js';

/** (numGraphs, 6): σ of each graph as 1x0e + 1x2e components. */
export function strainStress(energy: (p: tf.Tensor2D, c: tf.Tensor2D) => tf.Tensor, pos: tf.Tensor2D, cell: tf.Tensor2D, batch: Batch): tf.Tensor2D {
  const g = batch.numGraphs;
  const n = batch.numNodes;
  const nodeGraph = new Int32Array(n);
  for (let k = 0; k < g; k++) nodeGraph.fill(k, batch.graphPtr[k]!, batch.graphPtr[k + 1]!);
  const ids = tf.tensor1d(nodeGraph, 'int32');
  const deformed = (eps: tf.Tensor) => {
    const epsNode = tf.reshape(gatherRows(eps as tf.Tensor2D, ids), [n, 3, 3]) as tf.Tensor3D;
    const p = tf.add(pos, tf.reshape(tf.matMul(epsNode, tf.reshape(pos, [n, 3, 1]) as tf.Tensor3D), [n, 3])) as tf.Tensor2D;
    const rows = tf.reshape(cell, [g, 3, 3]) as tf.Tensor3D;
    const c = tf.add(cell, tf.reshape(tf.matMul(rows, tf.reshape(eps, [g, 3, 3]) as tf.Tensor3D, false, true), [g, 9])) as tf.Tensor2D;
    // 0 · Σ ε keeps ε on the tape when no edge reaches the energy (the stress is then 0).
    return tf.add(tf.sum(energy(p, c)), tf.mul(tf.sum(eps), 0));
  };
  const dEde = tf.grad(deformed)(tf.zeros([g, 9])) as tf.Tensor2D;
  const host = cell.dataSync();
  for (let k = 0; k < g; k++) if (!(cellVolume(host.subarray(k * 9, k * 9 + 9)) > 0)) throw new Error(`stress: graph ${k}'s cell has zero volume: its lattice vectors are linearly dependent`);
  const inverseVolume = tf.tensor2d(Float32Array.from({ length: g }, (_, k) => 1 / cellVolume(host.subarray(k * 9, k * 9 + 9))), [g, 1]);
  const basis = tf.tensor2d(SYMMETRIC_BASIS.flat(), [6, 9]);
  return tf.mul(tf.matMul(dEde, basis, false, true), inverseVolume) as tf.Tensor2D;
}
