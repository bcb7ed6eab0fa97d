// Frame averaging's PCA frames on the host, in float64 (like the radius graphs in graph.ts):
// the frames of each graph of the batch (stdlib/nn/frames.ts, the same code the reference
// evaluator runs, so a degenerate graph fails with the reference's message), spread to the
// node rows the kernels read: each node's framed coordinates F_f^T (p - c) and its graph's frames.

import type { RuntimeBatch } from '../../io/inputs.js';
import { DegenerateFrameError, pcaFrames } from '../../../stdlib/nn/frames.js';
import type { PlanFrames } from '../plan.js';

export interface NodeFrames {
  /** (numNodes, frames x 3). */
  readonly coords: Float64Array;
  /** (numNodes, frames x 9), row-major. */
  readonly rotations: Float64Array;
}

/** Throws DegenerateFrameError, prefixed with the op and its .eqv line as the reference evaluator does. */
export function nodeFrames(step: PlanFrames, batch: RuntimeBatch): NodeFrames {
  const pos = batch.values.get(step.posInput);
  if (!pos) throw new Error(`the batch has no input ${step.posInput}`);
  let framed: ReturnType<typeof pcaFrames>;
  try {
    framed = pcaFrames(pos, batch.graphPtr, step.frames, step.tolerance);
  } catch (e) {
    if (e instanceof DegenerateFrameError) throw new DegenerateFrameError(`${step.node} (frame_average, ${step.source}): ${e.message}`);
    throw e;
  }
  const { centroids, frames } = framed;
  const F = step.frames;
  const coords = new Float64Array(batch.numNodes * 3 * F);
  const rotations = new Float64Array(batch.numNodes * 9 * F);
  for (let i = 0; i < batch.numNodes; i++) {
    const g = batch.nodeGraph[i]!;
    for (let f = 0; f < F; f++) {
      const o = (g * F + f) * 9;
      rotations.set(frames.subarray(o, o + 9), (i * F + f) * 9);
      for (let col = 0; col < 3; col++) {
        let q = 0;
        for (let row = 0; row < 3; row++) q += frames[o + 3 * row + col]! * (pos[3 * i + row]! - centroids[3 * g + row]!);
        coords[(i * F + f) * 3 + col] = q;
      }
    }
  }
  return { coords, rotations };
}
