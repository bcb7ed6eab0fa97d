// Shared by the WGSL target's tests: random batches for any model, and the agreement measure.

import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { concatEdges } from '../../../targets/io/edges.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import type { NeighbourGraph } from '../../../targets/io/neighbours.js';
import { domainRows } from '../../../targets/io/pairs.js';
import { randomBonds } from '../../../targets/suite/sampleInputs.js';

/**
 * A batch of `numGraphs` graphs with `nodes(g)` nodes each: positions uniform in a cube whose
 * side makes a radius graph of radius `r` have several neighbours per node, and every other
 * node or graph input drawn from N(0, 1); a graph input (`in bonds: graph`) gets the suites'
 * random bonds per graph (a tree plus one extra pair, both directions; with a cell, lattice
 * shifts in -1..1).
 */
export function randomBatch(module: IRModule, seed: number, numGraphs: number, nodes: (g: number) => number, side: number): RuntimeBatch {
  const rng = createRng(seed);
  // Flows: a graph is a sequence, nodes(g) its number of frames of size x size cells.
  const cells = (module.group.flow?.size ?? 1) ** 2;
  const counts = Array.from({ length: numGraphs }, (_, g) => nodes(g) * cells);
  const graphPtr = new Int32Array(numGraphs + 1);
  counts.forEach((c, g) => (graphPtr[g + 1] = graphPtr[g]! + c));
  const numNodes = graphPtr[numGraphs]!;
  const nodeGraph = new Int32Array(numNodes);
  for (let g = 0; g < numGraphs; g++) nodeGraph.fill(g, graphPtr[g]!, graphPtr[g + 1]!);
  const values = new Map<string, Float64Array>();
  for (const input of module.inputs) {
    const t = input.type;
    if (input.species !== undefined) {
      // Species: a one-hot row per node.
      const K = input.species;
      const onehot = new Float64Array(numNodes * K);
      for (let i = 0; i < numNodes; i++) onehot[i * K + rng.int(K)] = 1;
      values.set(input.name, onehot);
    } else if (t.kind === 'points') {
      const dim = t.dim;
      values.set(input.name, Float64Array.from({ length: numNodes * dim }, () => (rng.uniform() - 0.5) * side));
    } else if (t.kind === 'cell') {
      // A periodic cell about `side` across, skewed: lattice vectors as rows.
      const d = t.dim;
      values.set(input.name, Float64Array.from({ length: numGraphs * d * d }, (_, i) => ((i % (d * d)) % (d + 1) === 0 ? side * (1 + 0.2 * rng.uniform()) : 0.15 * side * (rng.uniform() - 0.5))));
    } else if (t.kind === 'field') {
      const rows = domainRows({ numNodes, numGraphs, graphPtr }, t.domain);
      values.set(input.name, Float64Array.from({ length: rows * t.rep.dim }, () => rng.normal()));
    }
  }
  const cellDim = module.inputs.find((i) => i.type.kind === 'cell')?.type;
  const edges = new Map<string, NeighbourGraph>();
  for (const input of module.inputs) {
    if (input.type.kind !== 'graph') continue;
    const perGraph = counts.map((c) => randomBonds(rng, c, cellDim?.kind === 'cell' ? cellDim.dim : undefined));
    edges.set(input.name, concatEdges(perGraph, graphPtr));
  }
  return { numGraphs, numNodes, graphPtr, nodeGraph, values, wrapped: true, ...(edges.size > 0 ? { edges } : {}) };
}

/** max |a - b| / max |b|: the error relative to the output's size (0 for two empty or all-zero outputs). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff === 0 ? 0 : diff / scale;
}
