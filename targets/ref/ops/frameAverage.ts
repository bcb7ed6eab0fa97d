// Frame averaging (Puny et al. 2022) of an MLP over PCA-framed coordinates, in float64: the
// frames come from stdlib/nn/frames.ts, the MLP is the reference's FullyConnectedNet.

import type { FrameAverageAttrs } from '../../../ir/types.js';
import { pcaFrames } from '../../../stdlib/nn/frames.js';
import { mlpKernel } from './mlp.js';

/** pos: (numNodes, 3); x: (numNodes, k); returns (numNodes, scalars + 3 vectors). Throws DegenerateFrameError. */
export function frameAverageKernel(attrs: FrameAverageAttrs, weights: readonly Float64Array[], pos: Float64Array, x: Float64Array, graphPtr: Int32Array): Float64Array {
  const numNodes = pos.length / 3;
  const k = x.length / Math.max(numNodes, 1);
  const { centroids, frames } = pcaFrames(pos, graphPtr, attrs.frames, attrs.tolerance);
  const dimIn = 3 + k;
  const dimOut = attrs.scalars + 3 * attrs.vectors;
  const out = new Float64Array(numNodes * dimOut);
  const mlp = { sizes: attrs.sizes, act: attrs.act };
  const graphOf = new Int32Array(numNodes);
  for (let g = 0; g + 1 < graphPtr.length; g++) graphOf.fill(g, graphPtr[g]!, graphPtr[g + 1]!);
  for (let f = 0; f < attrs.frames; f++) {
    // Framed coordinates q = F^T (p - c), then the node's features.
    const input = new Float64Array(numNodes * dimIn);
    for (let i = 0; i < numNodes; i++) {
      const g = graphOf[i]!;
      const F = (g * attrs.frames + f) * 9;
      for (let col = 0; col < 3; col++) {
        let q = 0;
        for (let row = 0; row < 3; row++) q += frames[F + 3 * row + col]! * (pos[3 * i + row]! - centroids[3 * g + row]!);
        input[i * dimIn + col] = q;
      }
      for (let c = 0; c < k; c++) input[i * dimIn + 3 + c] = x[i * k + c]!;
    }
    const y = mlpKernel(mlp, weights, input, numNodes);
    for (let i = 0; i < numNodes; i++) {
      const F = (graphOf[i]! * attrs.frames + f) * 9;
      for (let c = 0; c < attrs.scalars; c++) out[i * dimOut + c]! += y[i * dimOut + c]! / attrs.frames;
      for (let v = 0; v < attrs.vectors; v++) {
        const o = i * dimOut + attrs.scalars + 3 * v;
        for (let row = 0; row < 3; row++) {
          let s = 0;
          for (let col = 0; col < 3; col++) s += frames[F + 3 * row + col]! * y[o + col]!;
          out[o + row]! += s / attrs.frames;
        }
      }
    }
  }
  return out;
}
