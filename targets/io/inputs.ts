// The run-input JSON (docs/formats.md) parsed into a batch of graphs, with every problem
// reported at once, each naming the input and the graph. A batch concatenates the graphs'
// nodes; `graphPtr` says where each graph's nodes start.
//
//   {"graphs": [{"pos": [[x, y, z], ...], "x": [[...], ...], "u": [...]}, ...]}
//   or one graph object without the "graphs" wrapper.
//
// Flows: a graph is one sequence; grid2d inputs give a row per cell of every frame (T·N² rows)
// and seq inputs a row per frame (T rows), so the batch's nodes are the cells either way.

import type { IRModule, IRType } from '../../ir/types.js';
import { domainRows } from './pairs.js';
import { determinant, type NeighbourGraph } from './neighbours.js';
import { concatEdges, parseEdges, type GivenEdgesJson, type GraphEdges } from './edges.js';

export interface RuntimeBatch {
  readonly numGraphs: number;
  readonly numNodes: number;
  /** Nodes of graph g are [graphPtr[g], graphPtr[g + 1]); length numGraphs + 1. */
  readonly graphPtr: Int32Array;
  /** The graph of each node. */
  readonly nodeGraph: Int32Array;
  /**
   * Each model input by name, row-major: node-domain (numNodes, dim), graph-domain (numGraphs, dim),
   * flows' seq-domain (numNodes / size², dim): one row per frame.
   */
  readonly values: ReadonlyMap<string, Float64Array>;
  /** Whether the input had the `graphs` wrapper (the output mirrors it). */
  readonly wrapped: boolean;
  /**
   * Graph inputs (`in bonds: graph`) by name: edges into the batch's nodes, sorted by (dst, src,
   * shift) like radius graphs (docs/formats.md), with integer lattice shifts when the model has a cell.
   */
  readonly edges?: ReadonlyMap<string, NeighbourGraph>;
}

export type ParseResult = { readonly ok: true; readonly batch: RuntimeBatch } | { readonly ok: false; readonly errors: readonly string[] };

type ModelInput = IRModule['inputs'][number];

/** Row width and domain of an input, or why it cannot be given in the JSON. */
function inputShape(type: IRType): { domain: 'node' | 'graph' | 'pair' | 'seq' | 'cell' | 'edges'; dim: number } | string {
  if (type.kind === 'points') return { domain: 'node', dim: type.dim };
  if (type.kind === 'cell') return { domain: 'cell', dim: type.dim };
  if (type.kind === 'graph') return { domain: 'edges', dim: 0 };
  if (type.domain === 'edge') return 'edge-domain inputs are not supported: edges are built inside the model';
  if (type.domain === 'seq') return { domain: 'seq', dim: type.rep.dim };
  // Flows: a grid2d input is one row per cell of every frame of the sequence, like node rows.
  if (type.domain === 'grid2d') return { domain: 'node', dim: type.rep.dim };
  return { domain: type.domain, dim: type.rep.dim };
}

function flatCell(rows: readonly (readonly number[])[]): number[] {
  return rows.flat();
}

/** A cell whose volume is not negligible against its size (the neighbour search inverts it). */
function nonDegenerate(cell: readonly number[], dim: number): boolean {
  const scale = Math.max(...cell.map(Math.abs)) ** dim;
  return Math.abs(determinant(cell, dim)) > 1e-12 * scale && scale > 0;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v)}`;
  return typeof v === 'number' ? String(v) : `a ${typeof v}`;
}

/**
 * A species input's one-hot rows from its integers (one per node, 0..K-1), or undefined after
 * saying which entry is wrong.
 */
export function speciesRows(v: unknown, K: number, what: string, errors: string[]): number[] | undefined {
  if (!Array.isArray(v)) {
    errors.push(`${what} is the species of each node: give an array of integers 0..${K - 1}, got ${describeValue(v)}`);
    return undefined;
  }
  const flat = new Array<number>(v.length * K).fill(0);
  let ok = true;
  v.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= K) {
      errors.push(`${what}: entry ${i} must be a species, an integer from 0 to ${K - 1}, got ${describeValue(s)}`);
      ok = false;
    } else flat[i * K + s] = 1;
  });
  return ok ? flat : undefined;
}

/** Parse a run input (already JSON-decoded) against the model's inputs. */
export function parseRunInput(json: unknown, module: Pick<IRModule, 'inputs' | 'group'>): ParseResult {
  const errors: string[] = [];
  const setSize = module.group.setSize;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: [`the input must be a JSON object, either {"graphs": [...]} or one graph; got ${describeValue(json)}`] };
  }
  const top = json as Record<string, unknown>;
  const wrapped = 'graphs' in top;
  let graphs: unknown[];
  if (wrapped) {
    const extra = Object.keys(top).filter((k) => k !== 'graphs');
    if (extra.length > 0) errors.push(`unexpected key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} next to "graphs" (put inputs inside each graph)`);
    if (!Array.isArray(top.graphs)) return { ok: false, errors: [...errors, `"graphs" must be an array of graph objects, got ${describeValue(top.graphs)}`] };
    graphs = top.graphs;
    if (graphs.length === 0) return { ok: false, errors: [...errors, '"graphs" is empty: give at least one graph'] };
  } else {
    graphs = [top];
  }

  // Flows: a frame is size² cells (node rows); a seq input's T rows stand for T·size² nodes.
  const frameCells = (module.group.flow?.size ?? 1) ** 2;
  const shapes = new Map<string, { input: ModelInput; domain: 'node' | 'graph' | 'pair' | 'seq' | 'cell' | 'edges'; dim: number }>();
  const cellDim = module.inputs.find((i) => i.type.kind === 'cell')?.type;
  const edgesPerGraph: Map<string, GraphEdges>[] = [];
  for (const input of module.inputs) {
    const s = inputShape(input.type);
    if (typeof s === 'string') errors.push(`input ${input.name}: ${s}`);
    else shapes.set(input.name, { input, ...s });
  }
  const names = module.inputs.map((i) => i.name);
  const where = (g: number) => (wrapped ? ` in graph ${g}` : '');

  const nodeCounts: number[] = [];
  const perGraph: Map<string, number[]>[] = [];
  graphs.forEach((graph, g) => {
    const errorsBefore = errors.length;
    const values = new Map<string, number[]>();
    perGraph.push(values);
    const givenEdges = new Map<string, GraphEdges>();
    edgesPerGraph.push(givenEdges);
    if (typeof graph !== 'object' || graph === null || Array.isArray(graph)) {
      errors.push(`graph ${g} must be an object of inputs, got ${describeValue(graph)}`);
      nodeCounts.push(0);
      return;
    }
    const obj = graph as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!shapes.has(key) && !names.includes(key)) errors.push(`unknown input ${key}${where(g)} (the model's inputs are ${names.join(', ') || 'none'})`);
    }
    let nodes: number | undefined;
    let nodesFrom = '';
    for (const [name, { domain, dim, input }] of shapes) {
      if (!(name in obj)) {
        errors.push(`missing input ${name}${where(g)}`);
        continue;
      }
      const v = obj[name];
      const flat: number[] = [];
      let ok = true;
      if (input.species !== undefined) {
        // Species: one integer 0..K-1 per node, held as its one-hot row (docs/formats.md).
        const rows = speciesRows(v, input.species, `input ${name}${where(g)}`, errors);
        if (!rows) continue;
        if (nodes === undefined) {
          nodes = rows.length / dim;
          nodesFrom = name;
        } else if (rows.length / dim !== nodes) {
          errors.push(`input ${name}${where(g)} has ${rows.length / dim} species but ${nodesFrom} has ${nodes} rows: give one species per node`);
          continue;
        }
        values.set(name, rows);
        continue;
      }
      const checkNumber = (x: unknown, at: string): void => {
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          errors.push(`input ${name}${where(g)}: ${at} must be a finite number, got ${describeValue(x)}`);
          ok = false;
        } else flat.push(x);
      };
      if (domain === 'edges') {
        // Checked against the node count once every per-node input has been read (below).
        continue;
      } else if (domain === 'cell') {
        // dim rows of dim numbers: the lattice vectors.
        if (!Array.isArray(v) || v.length !== dim || v.some((row) => !Array.isArray(row) || row.length !== dim)) {
          errors.push(`input ${name}${where(g)} is a cell: give ${dim} lattice vectors as rows, [[${dim === 3 ? 'ax, ay, az], [bx, by, bz], [cx, cy, cz' : 'ax, ay], [bx, by'}]], got ${describeValue(v)}`);
          continue;
        }
        (v as unknown[][]).forEach((row, i) => row.forEach((x, c) => checkNumber(x, `row ${i} entry ${c}`)));
        if (ok && !nonDegenerate(flatCell(v as number[][]), dim)) {
          errors.push(`input ${name}${where(g)}: the cell is degenerate (its lattice vectors, the rows, do not span the space)`);
          ok = false;
        }
      } else if (domain === 'graph') {
        if (!Array.isArray(v)) {
          errors.push(`input ${name}${where(g)} is graph-level: give one flat array of ${dim} numbers, got ${describeValue(v)}`);
          continue;
        }
        if (v.length !== dim) {
          errors.push(`input ${name}${where(g)} needs ${dim} numbers, got ${v.length}`);
          continue;
        }
        v.forEach((x, i) => checkNumber(x, `entry ${i}`));
      } else if (domain === 'pair') {
        // An n x n matrix of entries, each `dim` numbers (a bare number when dim is 1).
        if (!Array.isArray(v)) {
          errors.push(`input ${name}${where(g)} is per pair of nodes: give an n x n array (row i, column j), got ${describeValue(v)}`);
          continue;
        }
        v.forEach((row, i) => {
          if (!Array.isArray(row) || row.length !== v.length) {
            errors.push(`input ${name}${where(g)}: row ${i} must be an array of ${v.length} entries (one per node j), got ${describeValue(row)}`);
            ok = false;
            return;
          }
          row.forEach((entry, j) => {
            if (dim === 1 && !Array.isArray(entry)) return checkNumber(entry, `entry (${i}, ${j})`);
            if (!Array.isArray(entry) || entry.length !== dim) {
              errors.push(`input ${name}${where(g)}: entry (${i}, ${j}) must be an array of ${dim} numbers, got ${describeValue(entry)}`);
              ok = false;
              return;
            }
            entry.forEach((x, c) => checkNumber(x, `entry (${i}, ${j}) channel ${c}`));
          });
        });
        if (nodes === undefined) {
          nodes = v.length;
          nodesFrom = name;
        } else if (v.length !== nodes) {
          errors.push(`input ${name}${where(g)} is ${v.length} x ${v.length} but ${nodesFrom} has ${nodes} nodes: a pair input needs one row and one column per node`);
          ok = false;
        }
      } else {
        if (!Array.isArray(v)) {
          errors.push(`input ${name}${where(g)} is per ${domain === 'seq' ? 'frame' : 'node'}: give an array of rows, got ${describeValue(v)}`);
          continue;
        }
        v.forEach((row, r) => {
          if (!Array.isArray(row)) {
            errors.push(`input ${name}${where(g)}: row ${r} must be an array of ${dim} numbers, got ${describeValue(row)}`);
            ok = false;
            return;
          }
          if (row.length !== dim) {
            errors.push(`input ${name}${where(g)}: row ${r} has ${row.length} numbers, expected ${dim}`);
            ok = false;
            return;
          }
          row.forEach((x, i) => checkNumber(x, `row ${r} entry ${i}`));
        });
        if (domain === 'seq') {
          if (nodes === undefined) {
            nodes = v.length * frameCells;
            nodesFrom = name;
          } else if (v.length * frameCells !== nodes) {
            const theirs = nodes % frameCells === 0 ? `${nodes / frameCells} frames` : `${nodes} rows, not a whole number of frames`;
            errors.push(`input ${name}${where(g)} has ${v.length} frames but ${nodesFrom} has ${theirs}: a seq input needs one row per frame (a frame is ${frameCells} grid2d rows)`);
            ok = false;
          }
        } else if (nodes === undefined) {
          nodes = v.length;
          nodesFrom = name;
        } else if (v.length !== nodes) {
          errors.push(
            nodes % frameCells === 0 && shapes.get(nodesFrom)?.domain === 'seq'
              ? `input ${name}${where(g)} has ${v.length} rows but ${nodesFrom} has ${nodes / frameCells} frames: a grid2d input needs ${frameCells} rows per frame`
              : `input ${name}${where(g)} has ${v.length} rows but ${nodesFrom} has ${nodes}: every per-node input needs one row per node`,
          );
          ok = false;
        }
      }
      if (ok) values.set(name, flat);
    }
    for (const [name, { domain }] of shapes) {
      if (domain !== 'edges' || !(name in obj)) continue;
      const parsed = parseEdges(obj[name], `input ${name}${where(g)}`, nodes ?? 0, cellDim?.kind === 'cell' ? cellDim.dim : undefined);
      if (typeof parsed === 'string') errors.push(parsed);
      else givenEdges.set(name, parsed);
    }
    // A grid2d input holds whole frames: checked here, before any target runs (the wgsl host
    // ran a partial frame and printed zeros while the other targets stopped); once per graph,
    // when its rows raised nothing else.
    const grid = errors.length === errorsBefore && nodes !== undefined && nodes > 0 && nodes % frameCells !== 0 ? module.inputs.find((i) => i.type.kind === 'field' && i.type.domain === 'grid2d' && i.name === nodesFrom) : undefined;
    const size = module.group.flow?.size ?? 1;
    if (nodes === 0) errors.push(`graph ${g} has no nodes: ${nodesFrom} is empty (a graph needs at least one node)`);
    else if (grid) errors.push(`input ${grid.name}${where(g)} has ${nodes} rows, not a whole number of ${size}x${size} frames: a grid2d input needs a multiple of ${frameCells} rows (one per cell of every frame)`);
    else if (setSize !== undefined && nodes !== undefined && nodes !== setSize) {
      errors.push(`graph ${g} has ${nodes} nodes (${nodesFrom}), but the model's group ${module.group.name} permutes sets of exactly ${setSize} nodes (declare \`S(n)\` for sets of any size)`);
    }
    nodeCounts.push(nodes ?? 0);
  });
  if (errors.length > 0) return { ok: false, errors };

  const numGraphs = graphs.length;
  const graphPtr = new Int32Array(numGraphs + 1);
  for (let g = 0; g < numGraphs; g++) graphPtr[g + 1] = graphPtr[g]! + nodeCounts[g]!;
  const numNodes = graphPtr[numGraphs]!;
  const nodeGraph = new Int32Array(numNodes);
  for (let g = 0; g < numGraphs; g++) nodeGraph.fill(g, graphPtr[g]!, graphPtr[g + 1]!);
  const values = new Map<string, Float64Array>();
  const edges = new Map<string, NeighbourGraph>();
  for (const [name, { domain, dim }] of shapes) {
    if (domain === 'edges') {
      edges.set(name, concatEdges(edgesPerGraph.map((m) => m.get(name)!), graphPtr));
      continue;
    }
    const rows = domain === 'seq' ? numNodes / frameCells : domain === 'cell' ? numGraphs : domainRows({ numNodes, numGraphs, graphPtr }, domain);
    const width = domain === 'cell' ? dim * dim : dim;
    const data = new Float64Array(rows * width);
    let pos = 0;
    for (let g = 0; g < numGraphs; g++) {
      const part = perGraph[g]!.get(name)!;
      data.set(part, pos);
      pos += part.length;
    }
    values.set(name, data);
  }
  return { ok: true, batch: { numGraphs, numNodes, graphPtr, nodeGraph, values, wrapped, ...(edges.size > 0 ? { edges } : {}) } };
}

/** A batch from per-graph arrays, for code that builds inputs directly (tests, benchmarks). */
export function batchFromGraphs(
  module: Pick<IRModule, 'inputs' | 'group'>,
  graphs: readonly Readonly<Record<string, readonly (readonly number[])[] | readonly number[] | GivenEdgesJson>>[],
): RuntimeBatch {
  const result = parseRunInput({ graphs }, module);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.batch;
}
