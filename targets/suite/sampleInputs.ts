// Random inputs of a model, drawn by the types its IR declares: batches of 1 to 3 graphs of 1
// to `maxNodes` nodes (so single nodes without edges occur) or of the sizes asked for, point clouds sized so that the
// radius graph has edges but no pair sits within a hair of the cutoff (where an edge would
// appear or vanish under rounding), and N(0, 1) features.

import type { IRModule } from '../../ir/types.js';
import type { Rng } from '../../stdlib/math/random.js';
import { symmetricEigen3 } from '../../stdlib/nn/frames.js';
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

/**
 * Frame averaging needs distinct principal axes; a cloud whose covariance eigenvalues are
 * within 5% of the largest (of one another) would have a frame that float32 rounding can turn,
 * so the suites draw clouds well away from degenerate ones. A single point is exact.
 */
function wellFramed(pts: readonly (readonly number[])[]): boolean {
  const n = pts.length;
  if (n === 1) return true;
  const c = [0, 1, 2].map((k) => pts.reduce((s, p) => s + p[k]!, 0) / n);
  const cov = new Float64Array(9);
  for (const p of pts) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[3 * a + b]! += ((p[a]! - c[a]!) * (p[b]! - c[b]!)) / n;
  const { values } = symmetricEigen3(cov);
  return Math.min(values[0]! - values[1]!, values[1]! - values[2]!) > 0.05 * values[0]!;
}

function pointCloud(rng: Rng, count: number, dim: number, cutoff: number, forbidden: readonly number[], framed = false): number[][] {
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
    if (ok && framed && dim === 3) ok = wellFramed(pts);
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

/**
 * A graph input's edges for a graph of `count` nodes: each node after the first bonded to a
 * random earlier one, plus one random extra pair when there are 3 or more nodes, in both
 * directions (a single node has none). With a cell, each bond gets a random lattice shift in
 * -1..1 per direction, and its reverse the opposite one (the same pair of images).
 */
export function randomBonds(rng: Rng, count: number, cellDim: number | undefined): { src: number[]; dst: number[]; shifts?: number[][] } {
  const pairs: [number, number][] = [];
  for (let i = 1; i < count; i++) pairs.push([rng.int(i), i]);
  if (count >= 3) {
    const a = rng.int(count);
    const b = (a + 1 + rng.int(count - 1)) % count;
    pairs.push([a, b]);
  }
  const shifts = cellDim ? pairs.map(() => Array.from({ length: cellDim }, () => rng.int(3) - 1)) : undefined;
  return {
    src: pairs.flatMap(([a, b]) => [a, b]),
    dst: pairs.flatMap(([a, b]) => [b, a]),
    ...(shifts ? { shifts: shifts.flatMap((S) => [S, S.map((x) => -x)]) } : {}),
  };
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
  // frame_average: two points never have a unique PCA frame (docs/language.md), so a drawn pair becomes three.
  const framed = module.nodes.some((n) => n.op === 'frame_average');
  const graphs: Record<string, number[][] | number[]>[] = [];
  for (let g = 0; g < numGraphs; g++) {
    // The group's domain rule may fix the units of a graph (S(5)), draw them its own way, and
    // lay them out on several rows (flows: a drawn graph size is a number of frames of
    // size x size cells). Otherwise one graph in four is a single node: no edges at all.
    const units = rows?.fixedUnits ?? options.nodes?.[g] ?? (rows?.sampleUnits ? rows.sampleUnits(rng) : rng.uniform() < 0.25 ? 1 : 2 + rng.int(maxNodes - 1));
    const drawn = rows?.rowsPerGraph ? rows.rowsPerGraph(units) : units;
    const count = framed && drawn === 2 ? 3 : drawn;
    const graph: Record<string, number[][] | number[]> = {};
    const cellInput = module.inputs.find((i) => i.type.kind === 'cell');
    const cell = cellInput?.type.kind === 'cell' ? periodicCell(rng, count, cellInput.type.dim, cutoff) : undefined;
    if (cellInput && cell) graph[cellInput.name] = cell;
    for (const input of module.inputs) {
      const t = input.type;
      // Species: integers 0..K-1, one per node (the run-input form; held one-hot).
      if (input.species !== undefined) graph[input.name] = Array.from({ length: count }, () => rng.int(input.species!));
      else if (t.kind === 'points') graph[input.name] = (cell ? periodicCloud(rng, count, t.dim, cell, cutoff, forbidden) : pointCloud(rng, count, t.dim, cutoff, forbidden, framed));
      else if (t.kind === 'field' && (t.domain === 'node' || t.domain === 'grid2d')) graph[input.name] = Array.from({ length: count }, () => Array.from({ length: rowDim(t) }, () => rng.normal()));
      else if (t.kind === 'field' && t.domain === 'graph') graph[input.name] = Array.from({ length: rowDim(t) }, () => rng.normal());
      else if (t.kind === 'field' && t.domain === 'seq') {
        // Flows: one row per frame of size x size cells.
        const frames = count / (module.group.flow?.size ?? 1) ** 2;
        graph[input.name] = Array.from({ length: frames }, () => Array.from({ length: rowDim(t) }, () => rng.normal()));
      } else if (t.kind === 'graph') {
        graph[input.name] = randomBonds(rng, count, cell?.length) as unknown as number[];
      } else if (t.kind === 'field' && t.domain === 'pair') {
        // S(n): an n x n matrix of rows, the run-input form of a pair value.
        graph[input.name] = Array.from({ length: count }, () => Array.from({ length: count }, () => Array.from({ length: rowDim(t) }, () => rng.normal()))) as unknown as number[][];
      }
    }
    graphs.push(graph);
  }
  return batchFromGraphs(module, graphs);
}
