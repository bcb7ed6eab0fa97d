// WGSL for graph attention (the reference is targets/ref/ops/attention.ts): a segment softmax
// fused with the weighted sum. Edges are sorted by receiver (radius_graph's order), so one
// invocation per (receiver, component) walks the receiver's edges twice: once for the maximum
// logit of the component's head, once for the shifted exponentials, their sum and the
// weighted sum of the values; the result is divided by the sum at the end. A receiver
// without edges writes 0. No float atomics, deterministic.

import type { IRNode } from '../../../ir/types.js';
import { u32 } from '../emit.js';
import { bind, type KernelDraft, rangeChain, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

/** `let h = ...;`: the head of component t (copies split equally between heads, block by block). */
function headOfComponent(node: NodeOf<'attention'>): string {
  const { heads, blocks } = node.attrs;
  if (heads === 1) return 'let h = 0u;';
  const chain = rangeChain(blocks.map((b) => ({ start: b.offset, end: b.offset + b.mul * b.dim, code: `h = (t - ${u32(b.offset)}) / ${u32((b.mul / heads) * b.dim)};` })));
  return `var h = 0u;\n${chain}`;
}

export function attentionKernel(node: NodeOf<'attention'>, graph: string, dim: number): KernelDraft {
  const heads = node.attrs.heads;
  const rowptr = { kind: 'graph', graph, array: 'rowptr' } as const;
  return {
    op: 'attention',
    nodes: [node],
    bindings: [
      bind('logits', valueRef(node.inputs[0]!), 'read', 'segment', heads),
      bind('v', valueRef(node.inputs[1]!), 'read', 'segment', dim),
      bind('rowptr', rowptr, 'read', 'whole', 1, 'u32'),
      bind('y', valueRef(node.id), 'read_write', 'rows', dim),
    ],
    body: `${rowPrologue(dim)}
// the edges into node r, relative to the first edge bound in this chunk
let a = rowptr[chunk.first + r] - chunk.segBase;
let b = rowptr[chunk.first + r + 1u] - chunk.segBase;
${headOfComponent(node)}
var mx = bitcast<f32>(0xff7fffffu); // the lowest float32
for (var e = a; e < b; e++) { mx = max(mx, logits[e * ${u32(heads)} + h]); }
var den = 0.0;
var acc = 0.0;
for (var e = a; e < b; e++) {
  let w = exp(logits[e * ${u32(heads)} + h] - mx);
  den += w;
  acc += w * v[e * ${u32(dim)} + t];
}
// den >= 1 when the node has edges (its maximum contributes exp(0))
if (b > a) { acc = acc / den; }
y[id] = acc;`,
    domain: 'node',
    graph,
    segmentPtr: rowptr,
    threadsPerGroup: Math.max(dim, 1),
    rowsPerGroup: 1,
    summary: `segment softmax over receiver-sorted edges (${heads} head${heads === 1 ? '' : 's'}), weighted sum of values`,
  };
}
