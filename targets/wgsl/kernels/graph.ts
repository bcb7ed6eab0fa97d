// Graph kernels. Edges are sorted by (dst, src) (radius_graph's order), so the edges into node
// n are the contiguous range [rowptr[n], rowptr[n + 1]) and every reduction onto nodes is a
// segmented sum: one invocation per (node, component) walks its segment in edge order. No
// float atomics (WGSL has none), and the result is deterministic. Pooling does the same over
// the nodes of each graph of the batch.

import type { IRNode } from '../../../ir/types.js';
import { u32 } from '../emit.js';
import { bind, type KernelDraft, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

/** pos[src] - pos[dst] per edge, plus the host's shift·cell offset for periodic edges. */
export function edgeVectorsKernel(node: NodeOf<'edge_vectors'>, graph: string, dim: number, periodic = false): KernelDraft {
  return {
    op: 'edge_vectors',
    nodes: [node],
    bindings: [
      bind('pos', valueRef(node.inputs[0]!), 'read', 'whole', dim),
      bind('src', { kind: 'graph', graph, array: 'src' }, 'read', 'rows', 1, 'u32'),
      bind('dst', { kind: 'graph', graph, array: 'dst' }, 'read', 'rows', 1, 'u32'),
      ...(periodic ? [bind('off', { kind: 'graph', graph, array: 'offset' }, 'read', 'rows', dim)] : []),
      bind('y', valueRef(node.id), 'read_write', 'rows', dim),
    ],
    body: `${rowPrologue(dim)}\ny[id] = pos[src[r] * ${u32(dim)} + t] - pos[dst[r] * ${u32(dim)} + t]${periodic ? ' + off[id]' : ''};`,
    domain: 'edge',
    graph,
    threadsPerGroup: dim,
    rowsPerGroup: 1,
    summary: 'edge vectors pos[src] - pos[dst]',
  };
}

/** Euclidean length of each row. */
export function edgeLengthsKernel(node: NodeOf<'edge_lengths'>, graph: string | undefined, dim: number, domain: 'node' | 'edge' | 'graph'): KernelDraft {
  const terms = Array.from({ length: dim }, (_, k) => `x[b + ${k}u] * x[b + ${k}u]`).join(' + ') || '0.0';
  return {
    op: 'edge_lengths',
    nodes: [node],
    bindings: [bind('x', valueRef(node.inputs[0]!), 'read', 'rows', dim), bind('y', valueRef(node.id), 'read_write', 'rows', 1)],
    body: `${rowPrologue(1)}\nlet b = r * ${u32(dim)};\ny[r] = sqrt(${terms});`,
    domain,
    ...(graph ? { graph } : {}),
    threadsPerGroup: 1,
    rowsPerGroup: 1,
    summary: 'lengths',
  };
}

/** Node features to edges: the source's (or destination's) row. */
export function gatherKernel(node: NodeOf<'gather'>, graph: string, dim: number): KernelDraft {
  const side = node.attrs.side;
  return {
    op: 'gather',
    nodes: [node],
    bindings: [
      bind('x', valueRef(node.inputs[0]!), 'read', 'whole', dim),
      bind('idx', { kind: 'graph', graph, array: side }, 'read', 'rows', 1, 'u32'),
      bind('y', valueRef(node.id), 'read_write', 'rows', dim),
    ],
    body: `${rowPrologue(dim)}\ny[id] = x[idx[r] * ${u32(dim)} + t];`,
    domain: 'edge',
    graph,
    threadsPerGroup: Math.max(dim, 1),
    rowsPerGroup: 1,
    summary: `gather at ${side}`,
  };
}

/** The reduction of a segment: sum, mean (0 when empty) or max (0 when empty). */
function segmentReduce(reduce: 'sum' | 'mean' | 'max', read: string): string {
  if (reduce === 'max') {
    return `var acc = bitcast<f32>(0xff7fffffu); // the lowest float32
for (var e = a; e < b; e++) { acc = max(acc, ${read}); }
if (b == a) { acc = 0.0; }`;
  }
  const mean = reduce === 'mean' ? '\nif (b > a) { acc = acc / f32(b - a); }' : '';
  return `var acc = 0.0;
for (var e = a; e < b; e++) { acc += ${read}; }${mean}`;
}

/** Edges to nodes at destinations, one invocation per (node, component) over the node's segment. */
export function scatterKernel(node: NodeOf<'scatter'>, graph: string, dim: number): KernelDraft {
  const rowptr = { kind: 'graph', graph, array: 'rowptr' } as const;
  return {
    op: 'scatter',
    nodes: [node],
    bindings: [bind('m', valueRef(node.inputs[0]!), 'read', 'segment', dim), bind('rowptr', rowptr, 'read', 'whole', 1, 'u32'), bind('y', valueRef(node.id), 'read_write', 'rows', dim)],
    body: `${rowPrologue(dim)}
// the edges into node r, relative to the first edge bound in this chunk
let a = rowptr[chunk.first + r] - chunk.segBase;
let b = rowptr[chunk.first + r + 1u] - chunk.segBase;
${segmentReduce(node.attrs.reduce, `m[e * ${u32(dim)} + t]`)}
y[id] = acc;`,
    domain: 'node',
    graph,
    segmentPtr: rowptr,
    threadsPerGroup: Math.max(dim, 1),
    rowsPerGroup: 1,
    summary: `segmented ${node.attrs.reduce} over receiver-sorted edges`,
  };
}

/** Nodes to graphs of the batch, one invocation per (graph, component) over the graph's nodes. */
export function poolKernel(node: NodeOf<'pool'>, dim: number): KernelDraft {
  const ptr = { kind: 'graphPtr' } as const;
  return {
    op: 'pool',
    nodes: [node],
    bindings: [bind('x', valueRef(node.inputs[0]!), 'read', 'segment', dim), bind('graph_ptr', ptr, 'read', 'whole', 1, 'u32'), bind('y', valueRef(node.id), 'read_write', 'rows', dim)],
    body: `${rowPrologue(dim)}
// the nodes of graph r, relative to the first node bound in this chunk
let a = graph_ptr[chunk.first + r] - chunk.segBase;
let b = graph_ptr[chunk.first + r + 1u] - chunk.segBase;
${segmentReduce(node.attrs.reduce, `x[e * ${u32(dim)} + t]`)}
y[id] = acc;`,
    domain: 'graph',
    segmentPtr: ptr,
    threadsPerGroup: Math.max(dim, 1),
    rowsPerGroup: 1,
    summary: `${node.attrs.reduce} over each graph's nodes`,
  };
}
