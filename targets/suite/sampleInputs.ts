// Random inputs of a model, drawn by the types its IR declares: batches of 1 to 3 graphs of 1
// to `maxNodes` nodes (so single nodes without edges occur) or of the sizes asked for, point clouds sized so that the
// radius graph has edges but no pair sits within a hair of the cutoff (where an edge would
// appear or vanish under rounding), and N(0, 1) features.

import type { IRModule } from '../../ir/types.js';
import type { Rng } from '../../stdlib/math/random.js';
import { type RuntimeBatch, batchFromGraphs } from '../io/inputs.js';
import { modelGroup, rowDim } from './groupAction.js';
import { neighbourSearch } from '../io/neighbours.js';

export interface SampleOptions {
  readonly maxGraphs?: number;
  readonly maxNodes?: number;
  /**
   * The number of nodes of each graph, when the caller draws the batch's shape (fast-check in
   * the generated suites, so that it can shrink a failing batch to fewer, smaller graphs);
   * drawn from the seed otherwise. Groups that fix the size of a graph keep theirs.
   */
  readonly nodes?: readonly number[];
}

/** The smallest radius of the model's radius graphs, if it builds any. */
export function cutoffOf(module: IRModule): number | undefined {
  let r: number | undefined;
  for (const n of module.nodes) if (n.op === 'radius_graph') r = r === undefined ? n.attrs.r : Math.min(r, n.attrs.r);
  return r;
}

function radii(module: IRModule): number[] {
  return module.nodes.flatMap((n) => (n.op === 'radius_graph' ? [n.attrs.r] : []));
}

function pointCloud(rng: Rng, count: number, dim: number, cutoff: number, forbidden: readonly number[]): number[][] {
  for (let attempt = 0; attempt < 200; attempt++) {
    // A box whose side grows with the count keeps the density, and so the degree, moderate.
    const side = cutoff * (0.6 + 0.45 * Math.cbrt(count));
    const pts = Array.from({ length: count }, () => Array.from({ length: dim }, () => (rng.uniform() - 0.5) * side));
    let ok = true;
    for (let i = 0; i < count && ok; i++) {
      for (let j = i + 1; j < count && ok; j++) {
        let d2 = 0;
        for (let k = 0; k < dim; k++) d2 += (pts[i]![k]! - pts[j]![k]!) ** 2;
        const d = Math.sqrt(d2);
        if (d < 1e-3 * cutoff || forbidden.some((r) => Math.abs(d - r) < 1e-4 * r)) ok = false;
      }
    }
    if (ok) return pts;
  }
  throw new Error('could not draw a point cloud away from the cutoff');
}

/**
 * A skewed periodic cell (lattice vectors as rows) whose volume keeps the density of pointCloud:
 * between about 1 and 2.5 cutoffs across, so small cells (several images per pair) occur.
 */
function periodicCell(rng: Rng, count: number, dim: number, cutoff: number): number[][] {
  const side = cutoff * (0.9 + 0.45 * Math.cbrt(count));
  return Array.from({ length: dim }, (_, k) => Array.from({ length: dim }, (_, c) => (c === k ? side * (1 + 0.2 * rng.uniform()) : 0.2 * side * (rng.uniform() - 0.5))));
}

/** Points in (and a little outside) the cell, with no periodic image pair within a hair of a cutoff. */
function periodicCloud(rng: Rng, count: number, dim: number, cell: number[][], cutoff: number, forbidden: readonly number[]): number[][] {
  const flat = Float64Array.from(cell.flat());
  const reach = Math.max(cutoff, ...forbidden) * 1.001;
  for (let attempt = 0; attempt < 200; attempt++) {
    const pts = Array.from({ length: count }, () => {
      const f = Array.from({ length: dim }, () => rng.uniform() * 1.2 - 0.1);
      return Array.from({ length: dim }, (_, c) => f.reduce((s, x, k) => s + x * cell[k]![c]!, 0));
    });
    const pos = Float64Array.from(pts.flat());
    const g = neighbourSearch(pos, Int32Array.from([0, count]), reach, dim, flat);
    let ok = true;
    for (let e = 0; e < g.src.length && ok; e++) {
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        let t = pos[g.src[e]! * dim + c]! - pos[g.dst[e]! * dim + c]!;
        for (let k = 0; k < dim; k++) t += g.shifts![e * dim + k]! * flat[k * dim + c]!;
        d2 += t * t;
      }
      const d = Math.sqrt(d2);
      if (d < 1e-3 * cutoff || forbidden.some((r) => Math.abs(d - r) < 1e-4 * r)) ok = false;
    }
    if (ok) return pts;
  }
  throw new Error('could not draw a periodic point cloud away from the cutoff');
}

/** The number of nodes of each graph of a batch. */
export function graphSizes(batch: RuntimeBatch): number[] {
  return Array.from({ length: batch.numGraphs }, (_, g) => batch.graphPtr[g + 1]! - batch.graphPtr[g]!);
}

export function sampleBatch(module: IRModule, rng: Rng, options: SampleOptions = {}): RuntimeBatch {
  const maxGraphs = options.maxGraphs ?? 3;
  const maxNodes = options.maxNodes ?? 6;
  if (options.nodes && (options.nodes.length === 0 || options.nodes.some((n) => !Number.isInteger(n) || n < 1))) {
    throw new Error(`graph sizes must be one or more positive integers, got [${options.nodes.join(', ')}]`);
  }
  const numGraphs = options.nodes ? options.nodes.length : 1 + rng.int(maxGraphs);
  const cutoff = cutoffOf(module) ?? 1;
  const forbidden = radii(module);
  const rows = modelGroup(module).domain;
  const graphs: Record<string, number[][] | number[]>[] = [];
  for (let g = 0; g < numGraphs; g++) {
    // The group's domain rule may fix the units of a graph (S(5)), draw them its own way, and
    // lay them out on several rows (flows: a drawn graph size is a number of frames of
    // size x size cells). Otherwise one graph in four is a single node: no edges at all.
    const units = rows?.fixedUnits ?? options.nodes?.[g] ?? (rows?.sampleUnits ? rows.sampleUnits(rng) : rng.uniform() < 0.25 ? 1 : 2 + rng.int(maxNodes - 1));
    const count = rows?.rowsPerGraph ? rows.rowsPerGraph(units) : units;
    const graph: Record<string, number[][] | number[]> = {};
    const cellInput = module.inputs.find((i) => i.type.kind === 'cell');
    const cell = cellInput?.type.kind === 'cell' ? periodicCell(rng, count, cellInput.type.dim, cutoff) : undefined;
    if (cellInput && cell) graph[cellInput.name] = cell;
    for (const input of module.inputs) {
      const t = input.type;
      if (t.kind === 'points') graph[input.name] = cell ? periodicCloud(rng, count, t.dim, cell, cutoff, forbidden) : pointCloud(rng, count, t.dim, cutoff, forbidden);
      else if (t.kind === 'field' && (t.domain === 'node' || t.domain === 'grid2d')) graph[input.name] = Array.from({ length: count }, () => Array.from({ length: rowDim(t) }, () => rng.normal()));
      else if (t.kind === 'field' && t.domain === 'graph') graph[input.name] = Array.from({ length: rowDim(t) }, () => rng.normal());
      else if (t.kind === 'field' && t.domain === 'seq') {
        // Flows: one row per frame of size x size cells.
        const frames = count / (module.group.flow?.size ?? 1) ** 2;
        graph[input.name] = Array.from({ length: frames }, () => Array.from({ length: rowDim(t) }, () => rng.normal()));
      } else if (t.kind === 'field' && t.domain === 'pair') {
        // S(n): an n x n matrix of rows, the run-input form of a pair value.
        graph[input.name] = Array.from({ length: count }, () => Array.from({ length: count }, () => Array.from({ length: rowDim(t) }, () => rng.normal()))) as unknown as number[][];
      }
    }
    graphs.push(graph);
  }
  return batchFromGraphs(module, graphs);
}
