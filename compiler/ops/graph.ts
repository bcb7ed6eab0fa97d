// Graph structure and moving values between domains: `radius_graph` builds edges from points;
// `gather` takes node values onto edges, `scatter` sums edge values into their destination
// nodes, `pool` reduces the nodes of each graph. Messages flow from edge sources to
// destinations, and `g.vec` is pos[src] - pos[dst] (e3nn's examples' convention); with a cell,
// pos[src] + shift·cell - pos[dst], the vector from the receiver to the sender's image.

import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { OpCall, OpDef } from './op.js';
import { fieldArg, graphArg, nonInvariantBlocks, type FieldValue } from './operands.js';

export const radiusGraphOp: OpDef = {
  name: 'radius_graph',
  summary: 'edges between points of the same graph closer than r, without self-loops',
  params: [
    { name: 'pos', kind: 'value', doc: 'positions, node[pos]' },
    { name: 'r', kind: 'number', doc: 'cutoff radius (> 0)' },
    { name: 'cell', kind: 'value', optional: true, doc: 'a periodic cell, graph[cell]: neighbours through its faces, periodic in every direction' },
  ],
  check(call) {
    const pos = call.value('pos');
    const r = call.number('r');
    const cell = call.has('cell') ? call.value('cell') : undefined;
    if (cell && (cell.ty.kind !== 'cell' || cell.node.op !== 'input')) {
      call.report(
        diagnostic('E1502', call.argSpan('cell'), `\`radius_graph(..., cell = ...)\` takes a cell input (graph[cell]), found ${call.fmtTy(cell.ty)}`, {
          notes: [cell.origin.text],
          help: 'declare the cell with `in cell: graph[cell]` and give it in each graph of the run input as `"cell": [[ax, ay, az], [bx, by, bz], [cx, cy, cz]]`',
        }),
      );
      return undefined;
    }
    if (pos.ty.kind !== 'points') {
      call.report(diagnostic('E0203', call.argSpan('pos'), `\`radius_graph\` takes positions (node[pos]), found ${call.fmtTy(pos.ty)}`, { notes: [pos.origin.text], help: 'declare positions with `in pos: node[pos]`' }));
      return undefined;
    }
    if (!(r > 0)) {
      call.report(diagnostic('E0307', call.argSpan('r'), `the radius must be positive, found ${r}`));
      return undefined;
    }
    const node = call.node('radius_graph', cell ? [pos, cell] : [pos], { kind: 'graph' }, { r });
    return call.result(node, { text: `the ${cell ? 'periodic ' : ''}radius graph at line ${call.line(call.span)} (r = ${r})` });
  },
};

/** max is only equivariant on invariant scalars: it compares components. */
const REDUCE = ['sum', 'mean', 'max'] as const;

function checkReduce(call: OpCall, x: FieldValue, reduce: string, op: string): boolean {
  if (reduce !== 'max') return true;
  const bad = nonInvariantBlocks(call, x.ty.rep);
  if (bad.length === 0) return true;
  call.report(
    diagnostic('E0218', call.argSpan('reduce'), `\`${op}(..., reduce = max)\` is not equivariant on ${bad.join(' + ')}`, {
      notes: [x.origin.text, 'the maximum of each component depends on the orientation (and sign) of the frame'],
      help: 'use `reduce = sum` or `mean`, or take max over invariant scalars only (`select(x, 0e)`)',
    }),
  );
  return false;
}

export const gatherOp: OpDef = {
  name: 'gather',
  summary: 'node values onto edges, from each edge\'s source (or destination) node',
  params: [
    { name: 'x', kind: 'value', doc: 'node features' },
    { name: 'g', kind: 'value', doc: 'the graph' },
    { name: 'side', kind: 'choice', choices: ['src', 'dst'], default: { kind: 'string', value: 'src' }, doc: 'which end of each edge' },
  ],
  check(call) {
    const x = fieldArg(call, 'x', 'gather', ['node']);
    const g = graphArg(call, 'g', 'gather');
    if (!x || !g) return undefined;
    const node = call.node('gather', [x, g], { kind: 'field', domain: 'edge', rep: x.ty.rep }, { side: call.choice('side', ['src', 'dst']) });
    return call.result(node, { text: `gather(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};

export const scatterOp: OpDef = {
  name: 'scatter',
  summary: 'edge values summed (or averaged) into each edge\'s destination node',
  params: [
    { name: 'm', kind: 'value', doc: 'edge features (messages)' },
    { name: 'g', kind: 'value', doc: 'the graph' },
    { name: 'reduce', kind: 'choice', choices: ['sum', 'mean', 'max'], default: { kind: 'string', value: 'sum' }, doc: 'sum, mean, or max (invariant scalars only)' },
  ],
  check(call) {
    const m = fieldArg(call, 'm', 'scatter', ['edge']);
    const g = graphArg(call, 'g', 'scatter');
    if (!m || !g) return undefined;
    const reduce = call.choice('reduce', REDUCE);
    if (!checkReduce(call, m, reduce, 'scatter')) return undefined;
    const node = call.node('scatter', [m, g], { kind: 'field', domain: 'node', rep: m.ty.rep }, { reduce });
    return call.result(node, { text: `scatter(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(m.origin.atoms ? { atoms: m.origin.atoms } : {}) });
  },
};

export const poolOp: OpDef = {
  name: 'pool',
  summary: 'node (or pair) values reduced over each graph: node -> graph',
  params: [
    { name: 'x', kind: 'value', doc: 'node features' },
    { name: 'reduce', kind: 'choice', choices: ['sum', 'mean', 'max'], default: { kind: 'string', value: 'sum' }, doc: 'sum, mean, or max (invariant scalars only)' },
  ],
  check(call) {
    // S(n) models also pool pair values, over the n^2 pairs of each graph.
    const x = fieldArg(call, 'x', 'pool', call.group.domain?.rows.includes('pair') ? ['node', 'pair'] : ['node']);
    if (!x) return undefined;
    const reduce = call.choice('reduce', REDUCE);
    if (!checkReduce(call, x, reduce, 'pool')) return undefined;
    const node = call.node('pool', [x], { kind: 'field', domain: 'graph', rep: x.ty.rep }, { reduce });
    return call.result(node, { text: `pool(...) at line ${call.line(call.span)} is ${call.fmtTy(node.ty)}`, ...(x.origin.atoms ? { atoms: x.origin.atoms } : {}) });
  },
};
