// Training a generated tfjs module: datasets (JSON, or safetensors for large sets; see
// docs/formats.md "Training data"), a deterministic held-out split, batches of graphs, Adam,
// MSE or cross-entropy on the outputs that have targets, optional force matching (forces =
// -d energy / d positions through tfjs autograd), progress callbacks and checkpoints. Used by
// `eqvc train` (cli/train.ts) and directly from TypeScript.

import * as tf from '@tensorflow/tfjs-core';
import type { IRModule } from '../../ir/types.js';
import { createRng } from '../../stdlib/math/random.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../io/safetensors.js';
import { speciesRows } from '../io/inputs.js';
import { computeStatistics, type StatisticsExample } from '../io/statistics.js';
import { concatEdges, parseEdges, type GraphEdges } from '../io/edges.js';
import type { NeighbourGraph } from '../io/neighbours.js';
import type { GeneratedModel } from './load.js';
import { Adam } from './adam.js';
import { LrSchedule, type ScheduleOptions } from './schedule.js';
import { PathSparsity } from './sparsity.js';
import { type EquivarianceOptions, equivarianceErrors, equivariancePenalty } from './equivariance.js';

/** One training graph: its inputs (flat, row-major) and targets by output name; the data statistics read the same records. */
export type Example = StatisticsExample;

export type Loss = 'mse' | 'cross_entropy';

export class DatasetError extends Error {}

type ModelShape = Pick<IRModule, 'inputs' | 'outputs' | 'group'>;

function widthOf(t: IRModule['inputs'][number]['type']): { domain: 'node' | 'graph' | 'pair' | 'edges'; dim: number } {
  if (t.kind === 'points') return { domain: 'node', dim: t.dim };
  // A graph input (given edges): read by parseEdges, not as rows.
  if (t.kind === 'graph') return { domain: 'edges', dim: 0 };
  // A periodic cell: one row of dim x dim numbers per graph (the lattice vectors, row-major), as in a run input.
  if (t.kind === 'cell') return { domain: 'graph', dim: t.dim * t.dim };
  // S(n): a pair value is an n x n array of rows (JSON datasets only).
  if (t.kind === 'field' && (t.domain === 'node' || t.domain === 'graph' || t.domain === 'pair')) return { domain: t.domain, dim: t.rep.dim };
  // Flows: a grid2d input has one row per cell of every frame, like node rows.
  if (t.kind === 'field' && t.domain === 'grid2d') return { domain: 'node', dim: t.rep.dim };
  if (t.kind === 'field' && t.domain === 'seq') throw new DatasetError('seq inputs (one row per frame) cannot be given in a training set yet; `eqvc run` accepts them');
  throw new DatasetError('edge-domain and graph values cannot be given in a dataset');
}

/** The dimension of the model's periodic cell, if it declares one (graph inputs then need shifts). */
function cellDimOf(module: ModelShape): number | undefined {
  const cell = module.inputs.find((i) => i.type.kind === 'cell')?.type;
  return cell?.kind === 'cell' ? cell.dim : undefined;
}

function flatRows(v: unknown, dim: number, what: string, errors: string[]): number[] | undefined {
  if (!Array.isArray(v)) {
    errors.push(`${what}: expected an array, got ${typeof v}`);
    return undefined;
  }
  const out: number[] = [];
  for (const row of v) {
    const items = Array.isArray(row) ? row : [row];
    if (items.length !== dim) {
      errors.push(`${what}: a row has ${items.length} numbers, expected ${dim}`);
      return undefined;
    }
    for (const x of items) {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        errors.push(`${what}: ${JSON.stringify(x)} is not a finite number`);
        return undefined;
      }
      out.push(x);
    }
  }
  return out;
}

/**
 * The JSON dataset: {"graphs": [{<inputs as in run input>, "targets": {<output>: value}, "forces"?: [[fx, fy, fz], ...]}]}.
 * A graph-domain target is a flat array of the output's width, or (cross-entropy) a class index;
 * a node-domain target has one row per node. Graph inputs (given edges) are {"src", "dst",
 * "shifts"?} per graph, read by the run input's parseEdges (targets/io/edges.ts).
 */
export function parseDatasetJson(json: unknown, module: ModelShape, loss: Loss): Example[] {
  const errors: string[] = [];
  const spaceDim = module.group.spaceDim ?? 3;
  const graphs = (json as { graphs?: unknown })?.graphs;
  if (!Array.isArray(graphs) || graphs.length === 0) throw new DatasetError('a dataset is {"graphs": [...]} with at least one graph');
  // A key the reader does not know is a mistake to report, not to skip: a misspelt "forces" or
  // input trained silently without it (the run input refuses unknown keys the same way).
  const extra = Object.keys(json as object).filter((k) => k !== 'graphs');
  if (extra.length > 0) errors.push(`unexpected key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} next to "graphs" (put inputs, "targets" and "forces" inside each graph)`);
  const known = new Set([...module.inputs.map((i) => i.name), 'targets', 'forces']);
  const examples: Example[] = [];
  graphs.forEach((g: Record<string, unknown>, gi) => {
    if (typeof g !== 'object' || g === null || Array.isArray(g)) {
      errors.push(`graph ${gi} is not an object`);
      return;
    }
    for (const key of Object.keys(g)) {
      if (!known.has(key)) errors.push(`graph ${gi}: unknown key ${key} (a graph has the model's inputs ${module.inputs.map((i) => i.name).join(', ')}, "targets" and "forces")`);
    }
    if (g.targets !== undefined && (typeof g.targets !== 'object' || g.targets === null || Array.isArray(g.targets))) {
      errors.push(`graph ${gi}: "targets" must be an object {<output>: value}, got ${Array.isArray(g.targets) ? 'an array' : JSON.stringify(g.targets)}`);
      return;
    }
    const inputs: Record<string, Float64Array> = {};
    let nodes: number | undefined;
    for (const input of module.inputs) {
      const { domain, dim } = widthOf(input.type);
      const value = g[input.name];
      // Given edges are checked against the node count once the per-node inputs are read (below).
      if (domain === 'edges') continue;
      if (value === undefined) {
        errors.push(`graph ${gi} has no input ${input.name}`);
        continue;
      }
      if (domain === 'pair') {
        // n rows of n entries, row-major: pair (i, j) at i * n + j, like a run input.
        if (!Array.isArray(value) || value.some((row) => !Array.isArray(row) || row.length !== value.length)) {
          errors.push(`graph ${gi} input ${input.name}: a pair value is an n x n array (one row and one column per node)`);
          continue;
        }
        const rows = flatRows((value as unknown[][]).flat(1), dim, `graph ${gi} input ${input.name}`, errors);
        if (!rows) continue;
        if (nodes !== undefined && value.length !== nodes) errors.push(`graph ${gi}: input ${input.name} is ${value.length} x ${value.length}, others have ${nodes} nodes`);
        nodes = value.length;
        inputs[input.name] = Float64Array.from(rows);
        continue;
      }
      // Species: one integer 0..K-1 per node, as in a run input; held one-hot.
      const rows = input.species !== undefined ? speciesRows(value, input.species, `graph ${gi} input ${input.name}`, errors) : flatRows(domain === 'graph' ? [input.type.kind === 'cell' && Array.isArray(value) ? value.flat(1) : value] : value, dim, `graph ${gi} input ${input.name}`, errors);
      if (!rows) continue;
      if (domain === 'node') {
        const n = rows.length / dim;
        if (nodes !== undefined && n !== nodes) errors.push(`graph ${gi}: input ${input.name} has ${n} rows, others ${nodes}`);
        nodes = n;
      }
      inputs[input.name] = Float64Array.from(rows);
    }
    const targets: Record<string, Float64Array> = {};
    const given = (g.targets ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(given)) {
      const out = module.outputs.find((o) => o.name === name);
      if (!out) {
        errors.push(`graph ${gi}: target ${name} is not an output of the model (${module.outputs.map((o) => o.name).join(', ')})`);
        continue;
      }
      const { domain, dim } = widthOf(out.type);
      if (domain === 'pair') {
        errors.push(`graph ${gi}: target ${name} is a pair output; datasets give targets for node and graph outputs only`);
        continue;
      }
      if (loss === 'cross_entropy') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= dim || domain !== 'graph') {
          errors.push(`graph ${gi}: target ${name} must be a class index in 0..${dim - 1} (cross-entropy on a graph output)`);
          continue;
        }
        targets[name] = Float64Array.of(value);
        continue;
      }
      const rows = flatRows(domain === 'graph' ? [value] : value, dim, `graph ${gi} target ${name}`, errors);
      if (rows) targets[name] = Float64Array.from(rows);
    }
    let forces: Float64Array | undefined;
    if (g.forces !== undefined) {
      const rows = flatRows(g.forces, spaceDim, `graph ${gi} forces`, errors);
      if (rows) forces = Float64Array.from(rows);
    }
    // Graph inputs: the run input's {"src", "dst", "shifts"?} per graph, read by the run input's reader.
    const graphInputs: Record<string, GraphEdges> = {};
    for (const input of module.inputs) {
      if (input.type.kind !== 'graph') continue;
      if (nodes === undefined) continue; // the node inputs' errors are reported already
      if (g[input.name] === undefined) {
        errors.push(`graph ${gi}: missing input ${input.name} (a graph: give {"src": [...], "dst": [...]${cellDimOf(module) ? ', "shifts": [...]' : ''}}, node indices of this graph)`);
        continue;
      }
      const parsed = parseEdges(g[input.name], `graph ${gi} input ${input.name}`, nodes ?? 0, cellDimOf(module));
      if (typeof parsed === 'string') errors.push(parsed);
      else graphInputs[input.name] = parsed;
    }
    // A model whose inputs are all per-graph (GL+(n) features, say) has graphs without nodes.
    const hasNodeInputs = module.inputs.some((i) => widthOf(i.type).domain !== 'graph');
    if (!nodes && hasNodeInputs) errors.push(`graph ${gi} has no nodes`);
    examples.push({ nodes: nodes ?? 0, inputs, targets, ...(forces ? { forces } : {}), ...(Object.keys(graphInputs).length > 0 ? { graphs: graphInputs } : {}) });
  });
  if (errors.length > 0) throw new DatasetError(errors.slice(0, 20).join('\n') + (errors.length > 20 ? `\n... and ${errors.length - 20} more` : ''));
  checkExamples(examples, module, loss);
  return examples;
}

/**
 * What every example must satisfy whichever file it came from, so that training never indexes
 * past an array (a crash, exit 70) or trains on rows of another graph: each graph has targets,
 * for the same outputs as graph 0; targets have their output's width and, per node, one row per
 * node; forces one row per node; every number is finite.
 */
export function checkExamples(examples: readonly Example[], module: ModelShape, loss: Loss): void {
  const errors: string[] = [];
  const spaceDim = module.group.spaceDim ?? 3;
  const names = Object.keys(examples[0]?.targets ?? {}).sort();
  const size = module.group.flow?.size;
  examples.forEach((e, gi) => {
    // Flows: a graph is a sequence of whole size x size frames (a partial one crashed in a reshape).
    if (size !== undefined && e.nodes % (size * size) !== 0) errors.push(`graph ${gi} has ${e.nodes} grid2d rows, not a whole number of ${size}x${size} frames (a multiple of ${size * size})`);
    const mine = Object.keys(e.targets).sort();
    if (mine.length === 0) errors.push(`graph ${gi} has no targets (give "targets": {<output>: value} for ${module.outputs.map((o) => o.name).join(' or ')})`);
    else if (mine.join(',') !== names.join(',')) errors.push(`graph ${gi} has targets for ${mine.join(', ')}, graph 0 for ${names.join(', ') || 'none'}: every graph needs the same`);
    for (const [name, t] of Object.entries(e.targets)) {
      const out = module.outputs.find((o) => o.name === name);
      if (!out) continue;
      const { domain, dim } = widthOf(out.type);
      const want = loss === 'cross_entropy' ? 1 : domain === 'node' ? e.nodes * dim : dim;
      if (t.length !== want) errors.push(`graph ${gi}: target ${name} has ${t.length} numbers, expected ${want}${domain === 'node' ? ` (${e.nodes} nodes x ${dim})` : ''}`);
      else if (loss === 'cross_entropy' && !(Number.isInteger(t[0]) && t[0]! >= 0 && t[0]! < dim)) errors.push(`graph ${gi}: target ${name} must be a class index in 0..${dim - 1}, got ${t[0]}`);
      const bad = t.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) errors.push(`graph ${gi}: target ${name} has ${t[bad]} at ${bad}`);
    }
    if (e.forces) {
      if (e.forces.length !== e.nodes * spaceDim) errors.push(`graph ${gi}: ${e.forces.length / spaceDim} force rows for ${e.nodes} nodes (one row of ${spaceDim} per node)`);
      const bad = e.forces.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) errors.push(`graph ${gi}: forces have ${e.forces[bad]} at ${bad}`);
    }
    for (const [name, v] of Object.entries(e.inputs)) {
      const bad = v.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) errors.push(`graph ${gi}: input ${name} has ${v[bad]} at ${bad}`);
    }
    // Graph inputs: given edges in every graph, within its nodes (the run input's checks).
    for (const input of module.inputs) {
      if (input.type.kind !== 'graph') continue;
      const edges = e.graphs?.[input.name];
      if (!edges) {
        errors.push(`graph ${gi}: input ${input.name} is a graph and has no edges given (src, dst${cellDimOf(module) ? ', shifts' : ''})`);
        continue;
      }
      const json = { src: Array.from(edges.src), dst: Array.from(edges.dst), ...(edges.shifts ? { shifts: edges.shifts.map((S) => Array.from(S)) } : {}) };
      const parsed = parseEdges(json, `graph ${gi} input ${input.name}`, e.nodes, cellDimOf(module));
      if (typeof parsed === 'string') errors.push(parsed);
    }
    // Species rows (binary datasets hold them one-hot): exactly one 1 per node.
    for (const input of module.inputs) {
      const v = e.inputs[input.name];
      if (input.species === undefined || !v) continue;
      const K = input.species;
      for (let i = 0; i * K < v.length; i++) {
        const row = v.subarray(i * K, i * K + K);
        if (row.some((x) => x !== 0 && x !== 1) || row.reduce((s, x) => s + x, 0) !== 1) {
          errors.push(`graph ${gi}: input ${input.name} at node ${i} is not a species 0..${K - 1} (a one-hot row of ${K})`);
          break;
        }
      }
    }
  });
  if (examples.some((e) => e.forces) && !examples.every((e) => e.forces)) errors.push(`graphs ${examples.flatMap((e, gi) => (e.forces ? [] : [gi])).slice(0, 10).join(', ')} have no forces while others do`);
  if (errors.length > 0) throw new DatasetError(errors.slice(0, 20).join('\n') + (errors.length > 20 ? `\n... and ${errors.length - 20} more` : ''));
}

/** graph_ptr of a binary dataset: integer node offsets from 0, never decreasing, ending at the node count. */
function checkGraphPtr(ptr: Float64Array, nodeRows: number | undefined): void {
  if (ptr.length < 2) throw new DatasetError(`graph_ptr has ${ptr.length} entries: it needs one more than the number of graphs (at least 2)`);
  if (ptr[0] !== 0) throw new DatasetError(`graph_ptr must start at 0, got ${ptr[0]}`);
  for (let g = 0; g + 1 < ptr.length; g++) {
    const a = ptr[g]!;
    const b = ptr[g + 1]!;
    if (!Number.isInteger(b) || b < a) throw new DatasetError(`graph_ptr must be integer node offsets that never decrease: entry ${g + 1} is ${b} after ${a}`);
  }
  const last = ptr[ptr.length - 1]!;
  if (nodeRows !== undefined && last !== nodeRows) throw new DatasetError(`graph_ptr ends at ${last} nodes, but the node inputs have ${nodeRows} rows`);
}

/**
 * A graph input in a binary dataset: `<name>.src` and `<name>.dst` (all graphs' edges, node
 * indices local to each graph), `<name>.edge_ptr` (graphs + 1 edge offsets, as graph_ptr is for
 * nodes) and, with a cell, `<name>.shifts` (edges, dim) integer lattice shifts. The per-graph
 * index ranges are checked with the run input's rules by checkExamples.
 */
function checkBinaryEdges(tensors: ReadonlyMap<string, NamedTensor>, name: string, numGraphs: number, cellDim: number | undefined): void {
  const need = (key: string) => {
    const t = tensors.get(`${name}.${key}`);
    if (!t) throw new DatasetError(`input ${name} is a graph: the binary dataset needs ${name}.src, ${name}.dst and ${name}.edge_ptr${cellDim ? ` and ${name}.shifts` : ''}; ${name}.${key} is missing`);
    return t.data;
  };
  const src = need('src');
  const dst = need('dst');
  const ptr = need('edge_ptr');
  if (src.length !== dst.length) throw new DatasetError(`${name}.src and ${name}.dst have different lengths (${src.length} and ${dst.length}): one entry of each per edge`);
  if (ptr.length !== numGraphs + 1) throw new DatasetError(`${name}.edge_ptr has ${ptr.length} entries, expected ${numGraphs + 1} (one more than the graphs of graph_ptr)`);
  if (ptr[0] !== 0) throw new DatasetError(`${name}.edge_ptr must start at 0, got ${ptr[0]}`);
  for (let g = 0; g < numGraphs; g++) {
    if (!Number.isInteger(ptr[g + 1]) || ptr[g + 1]! < ptr[g]!) throw new DatasetError(`${name}.edge_ptr must be integer edge offsets that never decrease: entry ${g + 1} is ${ptr[g + 1]} after ${ptr[g]}`);
  }
  if (ptr[numGraphs] !== src.length) throw new DatasetError(`${name}.edge_ptr ends at ${ptr[numGraphs]} edges, but ${name}.src has ${src.length}`);
  const shifts = tensors.get(`${name}.shifts`);
  if (cellDim && !shifts) need('shifts');
  if (!cellDim && shifts) throw new DatasetError(`${name}.shifts needs a cell, and the model declares none (declare \`in cell: graph[cell]\`, or drop ${name}.shifts)`);
  if (shifts && shifts.data.length !== src.length * cellDim!) throw new DatasetError(`${name}.shifts has ${shifts.data.length} numbers, expected ${src.length} edges x ${cellDim}`);
}

/** Graph g's edges of a binary dataset's graph input (see checkBinaryEdges), indices as stored. */
function binaryEdgesOf(tensors: ReadonlyMap<string, NamedTensor>, name: string, g: number): GraphEdges {
  const ptr = tensors.get(`${name}.edge_ptr`)!.data;
  const a = ptr[g]!;
  const b = ptr[g + 1]!;
  const shifts = tensors.get(`${name}.shifts`);
  const dim = shifts && tensors.get(`${name}.src`)!.data.length > 0 ? shifts.data.length / tensors.get(`${name}.src`)!.data.length : 0;
  return {
    src: Array.from(tensors.get(`${name}.src`)!.data.subarray(a, b)),
    dst: Array.from(tensors.get(`${name}.dst`)!.data.subarray(a, b)),
    ...(shifts ? { shifts: Array.from({ length: b - a }, (_, e) => Array.from(shifts.data.subarray((a + e) * dim, (a + e + 1) * dim))) } : {}),
  };
}

/**
 * The binary dataset: a safetensors file with `graph_ptr` (graphs + 1, node offsets), one tensor
 * per input (rows of all graphs, concatenated), `target.<output>` per output with targets,
 * optionally `forces` (nodes, 3), and per graph input its edges (see checkBinaryEdges).
 */
export function parseDatasetBinary(bytes: Uint8Array, module: ModelShape, loss: Loss): Example[] {
  const { tensors } = readSafetensors(bytes);
  const spaceDim = module.group.spaceDim ?? 3;
  const ptr = tensors.get('graph_ptr');
  if (!ptr) throw new DatasetError('the binary dataset has no graph_ptr tensor');
  const numGraphs = ptr.data.length - 1;
  const examples: Example[] = [];
  const get = (name: string) => tensors.get(name);
  // Every tensor's length against graph_ptr before any slicing: a subarray past the end is
  // silently short, and one that fits by accident is another graph's rows.
  let nodeRows: number | undefined;
  for (const input of module.inputs) {
    if (input.type.kind === 'graph') {
      checkBinaryEdges(tensors, input.name, numGraphs, cellDimOf(module));
      continue;
    }
    const t = get(input.name);
    if (!t) throw new DatasetError(`the binary dataset has no tensor for input ${input.name}`);
    const { domain, dim } = widthOf(input.type);
    if (domain === 'pair') throw new DatasetError(`input ${input.name} is a pair value: give pair inputs in a JSON dataset (n x n arrays)`);
    if (domain === 'graph') {
      if (t.data.length !== numGraphs * dim) throw new DatasetError(`input ${input.name} has ${t.data.length} numbers, expected ${numGraphs} graphs x ${dim} (graph_ptr has ${numGraphs + 1} entries)`);
      continue;
    }
    if (t.data.length % dim !== 0) throw new DatasetError(`input ${input.name} has ${t.data.length} numbers, not rows of ${dim}`);
    const rows = t.data.length / dim;
    if (nodeRows !== undefined && rows !== nodeRows) throw new DatasetError(`input ${input.name} has ${rows} rows, other node inputs ${nodeRows}`);
    nodeRows = rows;
  }
  checkGraphPtr(ptr.data, nodeRows);
  const totalNodes = ptr.data[numGraphs]!;
  for (const out of module.outputs) {
    const t = get(`target.${out.name}`);
    if (!t) continue;
    const { domain, dim } = widthOf(out.type);
    const want = loss === 'cross_entropy' ? numGraphs : domain === 'node' ? totalNodes * dim : numGraphs * dim;
    if (t.data.length !== want) throw new DatasetError(`target.${out.name} has ${t.data.length} numbers, expected ${want}`);
  }
  const forces = get('forces');
  if (forces && forces.data.length !== totalNodes * spaceDim) throw new DatasetError(`forces has ${forces.data.length / spaceDim} rows for ${totalNodes} nodes (one row of ${spaceDim} per node)`);
  for (let g = 0; g < numGraphs; g++) {
    const a = ptr.data[g]!;
    const b = ptr.data[g + 1]!;
    const inputs: Record<string, Float64Array> = {};
    const graphs: Record<string, GraphEdges> = {};
    for (const input of module.inputs) {
      if (input.type.kind === 'graph') {
        graphs[input.name] = binaryEdgesOf(tensors, input.name, g);
        continue;
      }
      const t = get(input.name);
      if (!t) throw new DatasetError(`the binary dataset has no tensor for input ${input.name}`);
      const { domain, dim } = widthOf(input.type);
      if (domain === 'pair') throw new DatasetError(`input ${input.name} is a pair value: give pair inputs in a JSON dataset (n x n arrays)`);
      inputs[input.name] = domain === 'node' ? t.data.subarray(a * dim, b * dim) : t.data.subarray(g * dim, (g + 1) * dim);
    }
    const targets: Record<string, Float64Array> = {};
    for (const out of module.outputs) {
      const t = get(`target.${out.name}`);
      if (!t) continue;
      const { domain, dim } = widthOf(out.type);
      if (loss === 'cross_entropy') targets[out.name] = t.data.subarray(g, g + 1);
      else targets[out.name] = domain === 'node' ? t.data.subarray(a * dim, b * dim) : t.data.subarray(g * dim, (g + 1) * dim);
    }
    const f = get('forces');
    examples.push({ nodes: b - a, inputs, targets, ...(f ? { forces: f.data.subarray(a * spaceDim, b * spaceDim) } : {}), ...(Object.keys(graphs).length > 0 ? { graphs } : {}) });
  }
  checkExamples(examples, module, loss);
  return examples;
}

/** Write examples in the binary form (inverse of parseDatasetBinary). */
export function writeDatasetBinary(examples: readonly Example[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const tensors = new Map<string, NamedTensor>();
  const ptr = new Float64Array(examples.length + 1);
  examples.forEach((e, g) => (ptr[g + 1] = ptr[g]! + e.nodes));
  tensors.set('graph_ptr', { shape: [ptr.length], data: ptr });
  const concat = (parts: Float64Array[], rows: number): NamedTensor => {
    const data = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    return { shape: [rows, rows > 0 ? data.length / rows : 0], data };
  };
  const first = examples[0]!;
  const nodes = ptr[examples.length]!;
  for (const name of Object.keys(first.inputs)) {
    const perNode = first.inputs[name]!.length % first.nodes === 0 && examples.every((e) => e.inputs[name]!.length / e.nodes === first.inputs[name]!.length / first.nodes);
    tensors.set(name, concat(examples.map((e) => e.inputs[name]!), perNode ? nodes : examples.length));
  }
  for (const name of Object.keys(first.targets)) {
    const perGraph = examples.every((e) => e.targets[name]!.length === first.targets[name]!.length);
    tensors.set(`target.${name}`, concat(examples.map((e) => e.targets[name]!), perGraph ? examples.length : nodes));
  }
  if (first.forces) tensors.set('forces', concat(examples.map((e) => e.forces!), nodes));
  for (const name of Object.keys(first.graphs ?? {})) {
    const parts = examples.map((e) => e.graphs![name]!);
    const edgePtr = new Float64Array(examples.length + 1);
    parts.forEach((p, g) => (edgePtr[g + 1] = edgePtr[g]! + p.src.length));
    const edges = edgePtr[examples.length]!;
    tensors.set(`${name}.edge_ptr`, { shape: [edgePtr.length], data: edgePtr });
    tensors.set(`${name}.src`, { shape: [edges], data: Float64Array.from(parts.flatMap((p) => [...p.src])) });
    tensors.set(`${name}.dst`, { shape: [edges], data: Float64Array.from(parts.flatMap((p) => [...p.dst])) });
    if (parts[0]!.shifts) {
      const flat = Float64Array.from(parts.flatMap((p) => p.shifts!.flatMap((S) => [...S])));
      tensors.set(`${name}.shifts`, { shape: [edges, edges > 0 ? flat.length / edges : 0], data: flat });
    }
  }
  return writeSafetensors(tensors, { dtype: 'F64', metadata: { format: 'eqv-dataset', ...metadata } });
}

/** Deterministic split: a seeded shuffle, the last `fraction` held out (at least one graph when fraction > 0). */
export function splitHeldOut<T>(items: readonly T[], fraction: number, seed: number): { train: T[]; heldOut: T[] } {
  const order = items.map((_, i) => i);
  const rng = createRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const k = fraction > 0 ? Math.max(1, Math.round(items.length * fraction)) : 0;
  const cut = Math.max(items.length - k, items.length > 1 ? 1 : items.length);
  return { train: order.slice(0, cut).map((i) => items[i]!), heldOut: order.slice(cut).map((i) => items[i]!) };
}

/** A batch of examples as model inputs (graphs concatenated). */
export function batchInputs(model: GeneratedModel, examples: readonly Example[]): ReturnType<GeneratedModel['makeInputs']> {
  const { values, ptr, graphs } = batchValues(model, examples);
  return model.makeInputs(values, ptr, graphs);
}

/** The host arrays of a batch (graphs concatenated), where each graph starts, and the graph inputs' edges (global indices, sorted as a run's). */
function batchValues(model: GeneratedModel, examples: readonly Example[]): { values: Record<string, Float64Array>; ptr: number[]; graphs: Record<string, NeighbourGraph> } {
  const ptr = [0];
  for (const e of examples) ptr.push(ptr[ptr.length - 1]! + e.nodes);
  const values: Record<string, Float64Array> = {};
  const graphs: Record<string, NeighbourGraph> = {};
  for (const spec of model.inputSpecs) {
    if (spec.domain === 'edges') {
      graphs[spec.name] = concatEdges(examples.map((e) => e.graphs![spec.name]!), Int32Array.from(ptr));
      continue;
    }
    const parts = examples.map((e) => e.inputs[spec.name]!);
    const data = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    values[spec.name] = data;
  }
  return { values, ptr, graphs };
}

export interface LossOptions {
  readonly loss: Loss;
  /** Weight of the output (energy) term, 1 by default; NequIP's and MACE's energy weight. */
  readonly energyWeight?: number;
  /** Weight of the force term (mean squared force error), 0 to ignore forces. */
  readonly forceWeight?: number;
  /** The graph output whose negative position gradient is the force (default: the first output). */
  readonly energyOutput?: string;
  /** The positions input (default: the first node[pos] input, or `pos`). */
  readonly positionsInput?: string;
  /** Soft equivariance: a penalty per symmetry with this weight (targets/tfjs/equivariance.ts), and its measured error every epoch. */
  readonly equivariance?: EquivarianceOptions;
}

/**
 * Metrics of one pass: the loss, and accuracy (cross-entropy) or the errors of the outputs (mse):
 * MAE and RMSE over every output component ("per structure" for graph outputs such as the
 * energy), the same divided by each graph's number of nodes ("per atom", graph outputs only),
 * and the force MAE and RMSE per component when forces are matched.
 */
export interface Metrics {
  loss: number;
  accuracy?: number;
  mae?: number;
  rmse?: number;
  maePerAtom?: number;
  rmsePerAtom?: number;
  forceMae?: number;
  forceRmse?: number;
  /** Soft equivariance: max |f(g·x) - ρ(g) f(x)| / max |f(x)| per symmetry on a probe batch of the training set. */
  equivariance?: Record<string, number>;
  /** Sparse tensor products: the share of gated paths the mask removes at the end of the epoch. */
  sparsity?: number;
}

interface Computed {
  loss: tf.Scalar;
  correct?: tf.Scalar;
  absError?: tf.Scalar;
  sqError?: tf.Scalar;
  count: number;
  atomAbs?: tf.Scalar;
  atomSq?: tf.Scalar;
  atomCount?: number;
  forceAbs?: tf.Scalar;
  forceSq?: tf.Scalar;
  forceCount?: number;
}

function compute(model: GeneratedModel, examples: readonly Example[], options: LossOptions, rng?: ReturnType<typeof createRng>): Computed {
  const host = batchValues(model, examples);
  const inputs = model.makeInputs(host.values, host.ptr, host.graphs);
  const posName = options.positionsInput ?? 'pos';
  const wantForces = (options.forceWeight ?? 0) > 0 && examples.every((e) => e.forces) && inputs[posName] !== undefined;
  let outputs: Record<string, tf.Tensor2D>;
  let forces: tf.Tensor2D | undefined;
  if (wantForces) {
    // Forces are -dE/dpos, computed inside the loss so that their error trains the weights too
    // (tfjs records the inner gradient on the optimizer's tape). The outputs of the inner
    // forward pass are kept for the energy term.
    const pos = inputs[posName]!;
    let captured: Record<string, tf.Tensor2D> = {};
    const grad = tf.grad((p: tf.Tensor) => {
      captured = model.forward({ ...inputs, [posName]: p as tf.Tensor2D } as typeof inputs);
      for (const t of Object.values(captured)) tf.keep(t);
      // + 0·Σp: a batch without edges (isolated atoms) has an energy that does not depend on
      // the positions, where tf.grad refuses; its forces are zero (as the `grad` op's, ops/grad.ts).
      return tf.add(tf.sum(captured[options.energyOutput ?? Object.keys(captured)[0]!]!), tf.mul(tf.sum(p), 0));
    });
    forces = tf.neg(grad(pos)) as tf.Tensor2D;
    outputs = captured;
  } else {
    outputs = model.forward(inputs);
  }
  let loss: tf.Scalar = tf.scalar(0);
  let correct: tf.Scalar | undefined;
  let absError: tf.Scalar | undefined;
  let sqError: tf.Scalar | undefined;
  let atomAbs: tf.Scalar | undefined;
  let atomSq: tf.Scalar | undefined;
  let atomCount = 0;
  let count = 0;
  const energyWeight = options.energyWeight ?? 1;
  for (const [name, out] of Object.entries(outputs)) {
    if (!examples.every((e) => e.targets[name])) continue;
    const flat = examples.flatMap((e) => Array.from(e.targets[name]!));
    if (options.loss === 'cross_entropy') {
      const labels = tf.tensor1d(flat, 'int32');
      const onehot = tf.oneHot(labels, out.shape[1]);
      loss = tf.add(loss, tf.mul(tf.losses.softmaxCrossEntropy(onehot, out), energyWeight)) as tf.Scalar;
      correct = tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), labels), 'float32')) as tf.Scalar;
      count = flat.length;
    } else {
      const target = tf.tensor2d(Float32Array.from(flat), out.shape);
      const diff = tf.sub(out, target);
      loss = tf.add(loss, tf.mul(tf.mean(tf.square(diff)), energyWeight)) as tf.Scalar;
      absError = tf.sum(tf.abs(diff)) as tf.Scalar;
      sqError = tf.sum(tf.square(diff)) as tf.Scalar;
      count = out.size;
      if (out.shape[0] === examples.length && examples.every((e) => e.nodes > 0)) {
        // A graph output (one row per graph): its error per atom, as energies are compared.
        const perAtom = tf.div(diff, tf.tensor2d(examples.map((e) => e.nodes), [examples.length, 1]));
        atomAbs = tf.sum(tf.abs(perAtom)) as tf.Scalar;
        atomSq = tf.sum(tf.square(perAtom)) as tf.Scalar;
        atomCount = out.size;
      }
    }
  }
  if (options.equivariance && options.equivariance.weight > 0 && rng) {
    loss = tf.add(loss, tf.mul(equivariancePenalty(model, inputs, host.values, host.graphs, outputs, options.equivariance, rng), options.equivariance.weight)) as tf.Scalar;
  }
  let forceAbs: tf.Scalar | undefined;
  let forceSq: tf.Scalar | undefined;
  let forceCount: number | undefined;
  if (forces) {
    const flat = new Float32Array(examples.reduce((s, e) => s + e.forces!.length, 0));
    let o = 0;
    for (const e of examples) {
      flat.set(e.forces!, o);
      o += e.forces!.length;
    }
    const diff = tf.sub(forces, tf.tensor2d(flat, forces.shape));
    loss = tf.add(loss, tf.mul(tf.mean(tf.square(diff)), options.forceWeight!)) as tf.Scalar;
    forceAbs = tf.sum(tf.abs(diff)) as tf.Scalar;
    forceSq = tf.sum(tf.square(diff)) as tf.Scalar;
    forceCount = flat.length;
  }
  return {
    loss,
    ...(correct ? { correct } : {}),
    ...(absError ? { absError, sqError: sqError! } : {}),
    ...(atomAbs ? { atomAbs, atomSq: atomSq!, atomCount } : {}),
    count,
    ...(forceAbs ? { forceAbs, forceSq: forceSq!, forceCount: forceCount! } : {}),
  };
}

/** Metrics over a set of examples, in batches, without training. */
export function evaluateMetrics(model: GeneratedModel, examples: readonly Example[], options: LossOptions & { batchSize?: number }): Metrics {
  const bs = options.batchSize ?? 32;
  let loss = 0;
  let correct = 0;
  let abs = 0;
  let sq = 0;
  let count = 0;
  let aAbs = 0;
  let aSq = 0;
  let aCount = 0;
  let fAbs = 0;
  let fSq = 0;
  let fCount = 0;
  const value = (t: tf.Scalar) => t.dataSync()[0]!;
  for (let i = 0; i < examples.length; i += bs) {
    const part = examples.slice(i, i + bs);
    tf.tidy(() => {
      const c = compute(model, part, options);
      loss += value(c.loss) * part.length;
      if (c.correct) correct += value(c.correct);
      if (c.absError) {
        abs += value(c.absError);
        sq += value(c.sqError!);
      }
      count += c.count;
      if (c.atomAbs) {
        aAbs += value(c.atomAbs);
        aSq += value(c.atomSq!);
        aCount += c.atomCount!;
      }
      if (c.forceAbs) {
        fAbs += value(c.forceAbs);
        fSq += value(c.forceSq!);
        fCount += c.forceCount!;
      }
    });
  }
  const m: Metrics = { loss: loss / Math.max(1, examples.length) };
  if (options.loss === 'cross_entropy') m.accuracy = correct / Math.max(1, count);
  else {
    m.mae = abs / Math.max(1, count);
    m.rmse = Math.sqrt(sq / Math.max(1, count));
    if (aCount > 0) {
      m.maePerAtom = aAbs / aCount;
      m.rmsePerAtom = Math.sqrt(aSq / aCount);
    }
  }
  if (fCount > 0) {
    m.forceMae = fAbs / fCount;
    m.forceRmse = Math.sqrt(fSq / fCount);
  }
  return m;
}

/** The training loss became NaN or infinite: training stops (the last finite weights stay). */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly value: number,
  ) {
    super(`the training loss became ${value} at epoch ${epoch}, step ${step}; the weights of the last finite step are kept. Lower the learning rate (--lr) or check the data for outliers`);
    this.name = 'NonFiniteLossError';
  }
}

export interface TrainOptions extends LossOptions {
  readonly epochs: number;
  readonly lr: number;
  readonly batchSize?: number;
  /** Seed of the batch order. */
  readonly seed?: number;
  /** Called after every step and at the end of every epoch. */
  readonly onStep?: (p: Progress) => void;
  readonly onEpoch?: (epoch: number, train: Metrics, heldOut: Metrics | undefined, state: TrainState) => void;
  /** Examples to report after every epoch (a validation set, or the held-out split). */
  readonly heldOut?: readonly Example[];
  /** The learning-rate schedule (default constant). */
  readonly schedule?: Omit<ScheduleOptions, 'lr' | 'epochs'>;
  /** Decay of an exponential moving average of the weights (e.g. 0.99); evaluation, checkpoints and the final weights use the average. */
  readonly emaDecay?: number;
  /** Stop when the held-out loss has not improved for this many epochs. */
  readonly earlyStoppingPatience?: number;
  /** Resume: the optimizer, schedule and EMA state of a checkpoint (see TrainState), and the epochs already done. */
  readonly resume?: { readonly epoch: number; readonly tensors: ReadonlyMap<string, NamedTensor>; readonly metadata: Readonly<Record<string, string>> };
  /** Target share of pruned paths of the gated tensor products (SPHNet's schedule, targets/tfjs/sparsity.ts). */
  readonly sparsity?: number;
}

export interface Progress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly steps: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number;
  /** Training graphs per second in this epoch. */
  readonly graphsPerSecond: number;
  /** The learning rate of this epoch. */
  readonly lr: number;
}

/** What a checkpoint needs besides the weights to resume exactly: optimizer moments, EMA, schedule. */
export interface TrainState {
  readonly lr: number;
  tensors(): Map<string, NamedTensor>;
  metadata(): Record<string, string>;
}

export interface TrainResult extends Metrics {
  /** The last epoch that ran. */
  readonly epoch: number;
  readonly stoppedEarly: boolean;
  /** The epoch with the lowest held-out loss (when there is a held-out set). */
  readonly bestEpoch?: number;
}

/**
 * Sets the parameters that are statistics of the training data (IRParam.statistic: average
 * neighbour counts, per-species energy shifts and scales; targets/io/statistics.ts) from the
 * examples, before training. Returns one line per parameter for the log. `train` keeps them
 * fixed, and saveWeights writes them with the others.
 */
export function fitStatistics(model: GeneratedModel, module: IRModule, examples: readonly Example[]): string[] {
  const { values, report } = computeStatistics(module, examples);
  for (const [name, v] of values) {
    const variable = model.params[name];
    if (variable) variable.assign(tf.tensor(Float32Array.from(v), variable.shape));
  }
  return report;
}

/** Names of the parameters that are data statistics: never updated by the optimizer. */
function statisticNames(model: GeneratedModel): Set<string> {
  return new Set(model.paramSpecs.filter((p) => p.statistic).map((p) => p.name));
}

/**
 * Adam on the model's parameters over the examples; returns the last epoch's training metrics.
 * Parameters that are data statistics (see fitStatistics) stay fixed.
 * Throws NonFiniteLossError when a step's loss is not finite (that step's update is not applied).
 */
export function train(model: GeneratedModel, examples: readonly Example[], options: TrainOptions): TrainResult {
  const bs = options.batchSize ?? 16;
  // Running statistics (batch norm) are moved by the training forward, and data statistics
  // (see fitStatistics) stay fixed: neither is moved by the optimizer or the average.
  const fixed = statisticNames(model);
  const running = new Set(model.paramSpecs.filter((p) => p.running).map((p) => p.name));
  const trainable = Object.fromEntries(Object.entries(model.params).filter(([n]) => !running.has(n) && !fixed.has(n)));
  const optimizer = new Adam(trainable, options.lr);
  const schedule = new LrSchedule({ kind: 'constant', ...options.schedule, lr: options.lr, epochs: options.epochs });
  const names = Object.keys(trainable);
  const ema = options.emaDecay !== undefined ? new Map(names.map((n) => [n, tf.variable(tf.clone(model.params[n]!), false)])) : undefined;
  const rng = createRng(options.seed ?? 0);
  // Its own stream, so the batch order is the same with and without sparsity.
  const sparsity = options.sparsity !== undefined ? new PathSparsity(model.params, model.paramSpecs, options.sparsity, options.epochs, createRng((options.seed ?? 0) + 7919)) : undefined;
  let startEpoch = 1;
  if (options.resume) {
    optimizer.loadState(options.resume.tensors, Number(options.resume.metadata.adam_step ?? 0));
    schedule.restore(options.resume.metadata);
    if (ema) {
      for (const [n, v] of ema) {
        const saved = options.resume.tensors.get(`ema.${n}`);
        if (saved) v.assign(tf.tensor(Float32Array.from(saved.data), v.shape));
      }
    }
    // The batch order continues as if the run had not stopped.
    for (let e = 1; e <= options.resume.epoch; e++) shuffled(examples.length, rng);
    startEpoch = options.resume.epoch + 1;
    sparsity?.resumeAfter(options.resume.epoch);
  }
  // Evaluation and checkpoints see the averaged weights; training goes on with the raw ones.
  const withEma = <T>(f: () => T): T => {
    if (!ema) return f();
    const raw = names.map((n) => tf.clone(model.params[n]!));
    names.forEach((n) => model.params[n]!.assign(ema.get(n)!));
    try {
      return f();
    } finally {
      names.forEach((n, i) => model.params[n]!.assign(raw[i]!));
      tf.dispose(raw);
    }
  };
  const state: TrainState = {
    get lr() {
      return optimizer.lr;
    },
    tensors: () => {
      const t = optimizer.stateTensors();
      if (ema) for (const [n, v] of ema) t.set(`ema.${n}`, { shape: v.shape, data: Float64Array.from(v.dataSync()) });
      return t;
    },
    metadata: () => ({ adam_step: String(optimizer.step), ...schedule.state() }),
  };
  let last: Metrics = { loss: NaN };
  let epoch = startEpoch - 1;
  let stoppedEarly = false;
  let best = Infinity;
  let bestEpoch: number | undefined;
  try {
    for (epoch = startEpoch; epoch <= options.epochs; epoch++) {
      optimizer.lr = schedule.rateFor(epoch);
      const order = shuffled(examples.length, rng);
      const steps = Math.ceil(order.length / bs);
      sparsity?.beginEpoch(epoch);
      const t0 = performance.now();
      let sum = 0;
      let seen = 0;
      for (let s = 0; s < steps; s++) {
        const part = order.slice(s * bs, (s + 1) * bs).map((i) => examples[i]!);
        // Training mode for the step (batch statistics, dropout), evaluation for everything else.
        model.setTraining?.(true);
        sparsity?.beginStep(epoch);
        let cost: number;
        try {
          cost = optimizer.minimize(() => compute(model, part, options, rng).loss);
        } finally {
          model.setTraining?.(false);
        }
        if (!Number.isFinite(cost)) throw new NonFiniteLossError(epoch, s + 1, cost);
        if (ema) {
          const d = options.emaDecay!;
          tf.tidy(() => {
            for (const n of names) ema.get(n)!.assign(tf.add(tf.mul(ema.get(n)!, d), tf.mul(model.params[n]!, 1 - d)));
          });
        }
        sum += cost * part.length;
        seen += part.length;
        options.onStep?.({ epoch, epochs: options.epochs, step: s + 1, steps, loss: sum / seen, graphsPerSecond: seen / ((performance.now() - t0) / 1000), lr: optimizer.lr });
      }
      sparsity?.endSteps(epoch);
      last = { loss: sum / Math.max(1, seen), ...(sparsity ? { sparsity: sparsity.measured() } : {}) };
      if (options.equivariance) {
        // Measured on the same probe graphs every epoch (the first of the training set), fresh group elements.
        const probe = examples.slice(0, Math.min(examples.length, bs));
        const host = batchValues(model, probe);
        const inputs = model.makeInputs(host.values, host.ptr, host.graphs);
        last.equivariance = withEma(() => equivarianceErrors(model, inputs, host.values, host.graphs, options.equivariance!, rng));
        tf.dispose(Object.values(inputs).filter((t): t is tf.Tensor2D => t instanceof tf.Tensor));
      }
      const heldOut = options.heldOut && options.heldOut.length > 0 ? withEma(() => evaluateMetrics(model, options.heldOut!, options)) : undefined;
      const monitored = heldOut?.loss ?? last.loss;
      schedule.observe(monitored);
      if (heldOut && heldOut.loss < best) {
        best = heldOut.loss;
        bestEpoch = epoch;
      }
      if (options.onEpoch) withEma(() => options.onEpoch!(epoch, last, heldOut, state));
      if (options.earlyStoppingPatience !== undefined && heldOut && bestEpoch !== undefined && epoch - bestEpoch >= options.earlyStoppingPatience) {
        stoppedEarly = true;
        break;
      }
    }
    // The final weights are the average, as NequIP and MACE deploy them.
    if (ema) names.forEach((n) => model.params[n]!.assign(ema.get(n)!));
  } finally {
    optimizer.dispose();
    if (ema) for (const v of ema.values()) v.dispose();
  }
  return { ...last, epoch: Math.min(epoch, options.epochs), stoppedEarly, ...(bestEpoch !== undefined ? { bestEpoch } : {}) };
}

function shuffled(n: number, rng: ReturnType<typeof createRng>): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
