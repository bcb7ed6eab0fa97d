// Positions centred per graph in float64, before a float32 target casts them. Translations are
// a symmetry of the model (only then is this done), so f(x - c) gives f(x) for every output but
// positions, which move with c. In float32, a point at 1e6 + 0.3 keeps about 0.06 of
// resolution: edge vectors and lengths built from such coordinates were 4-8% off the float64
// reference, while the same cloud centred at the origin agrees to 1e-6.

import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from './inputs.js';

export interface Centred {
  readonly batch: RuntimeBatch;
  /** The centre of each graph (numGraphs x spaceDim), to add back to position outputs; undefined when nothing moved. */
  readonly centres?: Float64Array;
  readonly dim: number;
}

/** The batch with every position input moved so that each graph's first position input has mean 0. */
export function centrePositions(module: Pick<IRModule, 'group' | 'inputs'>, batch: RuntimeBatch): Centred {
  const points = module.inputs.filter((i) => i.type.kind === 'points');
  const first = points[0];
  if (!module.group.translations || !first || first.type.kind !== 'points') return { batch, dim: 0 };
  const dim = first.type.dim || module.group.spaceDim || 3;
  const pos = batch.values.get(first.name);
  if (!pos) return { batch, dim };
  const centres = new Float64Array(batch.numGraphs * dim);
  for (let g = 0; g < batch.numGraphs; g++) {
    const a = batch.graphPtr[g]!;
    const b = batch.graphPtr[g + 1]!;
    if (b <= a) continue;
    for (let k = 0; k < dim; k++) {
      let s = 0;
      for (let i = a; i < b; i++) s += pos[i * dim + k]!;
      centres[g * dim + k] = s / (b - a);
    }
  }
  const values = new Map(batch.values);
  for (const p of points) {
    const v = batch.values.get(p.name);
    if (v) values.set(p.name, shift(v, batch, centres, dim, -1));
  }
  return { batch: { ...batch, values }, centres, dim };
}

function shift(v: Float64Array, batch: RuntimeBatch, centres: Float64Array, dim: number, sign: 1 | -1): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < batch.numNodes; i++) {
    const g = batch.nodeGraph[i]!;
    for (let k = 0; k < dim; k++) out[i * dim + k] = v[i * dim + k]! + sign * centres[g * dim + k]!;
  }
  return out;
}

/** Outputs of the centred batch as outputs of the original one: position outputs move back. */
export function uncentreOutputs(module: Pick<IRModule, 'outputs'>, centred: Centred, outputs: Map<string, Float64Array>): Map<string, Float64Array> {
  if (!centred.centres) return outputs;
  for (const o of module.outputs) {
    const v = outputs.get(o.name);
    if (o.type.kind === 'points' && v && v.length === centred.batch.numNodes * centred.dim) outputs.set(o.name, shift(v, centred.batch, centred.centres, centred.dim, 1));
  }
  return outputs;
}
