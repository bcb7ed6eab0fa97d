// S(n) kernels: the permutation-equivariant linear layer and pooling over pairs. Pair values
// are edge values of the all-pairs graph (runtime/graph.ts allPairsGraph: pair (i, j) is the
// edge j -> i, at rowptr[i] + (j - first)), so from a row the kernel finds its set: for a node
// or pair row, the first node of the set is src[rowptr[i]] and its size rowptr[i + 1] -
// rowptr[i]; for a graph row, graph_ptr says. One invocation per (output row, output channel)
// evaluates every basis map's statistic for each input channel (means loop over the set, so a
// pair -> pair layer costs O(n) per statistic: meant for sets of tens of nodes) and mixes them
// with the weights, as the reference does (targets/ref/ops/permLinear.ts).

import type { IRNode, PermBasisMap } from '../../../ir/types.js';
import { f32, loopBound, u32 } from '../emit.js';
import { bind, type KernelDraft, paramRef, rangeChain, rowPrologue, valueRef } from './draft.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

/** The graph-value id under which plans keep the all-pairs graph. */
export const PAIRS_GRAPH = 'pairs';

const pairsRef = (array: 'src' | 'dst' | 'rowptr') => ({ kind: 'graph', graph: PAIRS_GRAPH, array }) as const;

/**
 * The statistics of a perm_linear input that loop over a set (means), in the order the stats
 * kernel writes them per node row: each takes `ci` columns.
 */
export function setStatistics(from: 'node' | 'pair' | 'graph'): readonly PermBasisMap['stat'][] {
  return from === 'pair' ? ['row_mean', 'col_mean', 'trace_mean', 'mean'] : from === 'node' ? ['mean'] : [];
}

/**
 * Means over a set, one invocation per (node row, statistic column), written once so that the
 * layer's kernel reads each in O(1). Computing them inside that kernel cost O(n) or O(n^2) per
 * input channel, per output channel: besides the wasted work, a pair -> pair layer of 500
 * channels on sets of 6 then loops 67,500 times per invocation, past the 65,535 loop
 * iterations per invocation after which Mesa's llvmpipe silently leaves a loop (gallivm's loop
 * limiter), and the layer came out 7% wrong on Dawn there. Here an invocation loops n or n^2
 * times; the layer's kernel loops (basis maps) x (input channels) times.
 */
export function permStatsKernel(node: NodeOf<'perm_linear'>, statsId: string): KernelDraft {
  const from = node.attrs.from;
  const ci = node.attrs.channelsIn;
  const stats = setStatistics(from);
  const c = u32(ci);
  const pairX = (a: string, b: string) => `x[(rowptr[first + ${a}] + ${b}) * ${c} + u]`;
  const code = (stat: PermBasisMap['stat']): string => {
    switch (stat) {
      case 'row_mean':
        return `for (var m = 0u; m < n; m++) { s += ${pairX('li', 'm')}; }\ns = s / f32(n);`;
      case 'col_mean':
        return `for (var m = 0u; m < n; m++) { s += ${pairX('m', 'li')}; }\ns = s / f32(n);`;
      case 'trace_mean':
        return `for (var m = 0u; m < n; m++) { s += ${pairX('m', 'm')}; }\ns = s / f32(n);`;
      case 'mean':
        if (from === 'node') return `for (var m = 0u; m < n; m++) { s += x[(first + m) * ${c} + u]; }\ns = s / f32(n);`;
        // The pairs of a set are contiguous from rowptr[first].
        return `for (var m = 0u; m < n * n; m++) { s += x[(rowptr[first] + m) * ${c} + u]; }\ns = s / f32(n * n);`;
      default:
        throw new Error(`${stat} is not a mean over a set`);
    }
  };
  const cases = stats.map((stat, k) => ({ start: k * ci, end: (k + 1) * ci, code: `let u = t - ${u32(k * ci)};\nvar s = 0.0;\n${code(stat)}\ny[id] = s;` }));
  const body = [
    rowPrologue(stats.length * ci),
    'let i = chunk.first + r;',
    'let first = src[rowptr[i]];',
    'let li = i - first;',
    'let n = rowptr[i + 1u] - rowptr[i];',
    rangeChain(cases),
  ].join('\n');
  return {
    op: 'perm_stats',
    nodes: [node],
    bindings: [
      bind('x', valueRef(node.inputs[0]!), 'read', 'whole', ci),
      bind('rowptr', pairsRef('rowptr'), 'read', 'whole', 1, 'u32'),
      bind('src', pairsRef('src'), 'read', 'whole', 1, 'u32'),
      bind('y', valueRef(statsId), 'read_write', 'rows', stats.length * ci),
    ],
    body,
    domain: 'node',
    threadsPerGroup: stats.length * ci,
    rowsPerGroup: 1,
    summary: `the means over each set (${stats.join(', ')}) of a perm_linear ${from} input, per node`,
  };
}

/** WGSL that sets `s` to one statistic of input channel `u` at the placement's position. */
function statCode(map: PermBasisMap, from: 'node' | 'pair' | 'graph', ci: number): string {
  const c = u32(ci);
  // A node statistic is evaluated at the local node `k`: li for same, diagonal and row; lj for col.
  const k = map.place === 'col' ? 'lj' : 'li';
  const pairX = (a: string, b: string) => `x[(rowptr[first + ${a}] + ${b}) * ${c} + u]`;
  const stats = setStatistics(from);
  const column = stats.indexOf(map.stat);
  if (column >= 0) {
    // A mean over the set, from the stats kernel: row and column means at the node they are
    // about, the set's means at its first node.
    const at = map.stat === 'row_mean' || map.stat === 'col_mean' ? `first + ${k}` : 'first';
    return `s = st[(${at}) * ${u32(stats.length * ci)} + ${u32(column * ci)} + u];`;
  }
  switch (map.stat) {
    case 'x':
      if (from === 'graph') return `s = x[g * ${c} + u];`;
      if (from === 'node') return `s = x[(first + ${k}) * ${c} + u];`;
      return `s = ${pairX('li', 'lj')};`;
    case 'transpose':
      return `s = ${pairX('lj', 'li')};`;
    case 'diagonal':
      return `s = ${pairX(k, k)};`;
    default:
      throw new Error(`perm_linear from ${from}: no statistic ${map.stat}`);
  }
}

function indentBlock(code: string, pad: string): string {
  return code
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** The layer: `statsId` is the value permStatsKernel writes (when the input has set statistics). */
export function permLinearKernel(node: NodeOf<'perm_linear'>, weightName: string, biasName: string | undefined, statsId?: string): KernelDraft {
  const a = node.attrs;
  const { from, to } = a;
  const co = a.channelsOut;
  const ci = a.channelsIn;
  const needsGraph = from === 'graph' || to === 'graph';
  const needsPairs = to !== 'graph' || from === 'pair';
  const statWidth = setStatistics(from).length * ci;
  const usesStats = a.basis.some((m) => setStatistics(from).includes(m.stat));
  if (usesStats && !statsId) throw new Error(`perm_linear ${node.id}: its set means need the stats kernel's value`);
  const bindings = [
    bind('x', valueRef(node.inputs[0]!), 'read', 'whole', ci),
    ...(usesStats ? [bind('st', valueRef(statsId!), 'read', 'whole', statWidth)] : []),
    bind('w', paramRef(weightName), 'read', 'whole', 1),
    ...(a.bias && biasName ? [bind('bias', paramRef(biasName), 'read', 'whole', 1)] : []),
    ...(needsPairs ? [bind('rowptr', pairsRef('rowptr'), 'read', 'whole', 1, 'u32'), bind('src', pairsRef('src'), 'read', 'whole', 1, 'u32')] : []),
    ...(to === 'pair' ? [bind('dst', pairsRef('dst'), 'read', 'whole', 1, 'u32')] : []),
    ...(needsGraph ? [bind('graph_ptr', { kind: 'graphPtr' } as const, 'read', 'whole', 1, 'u32')] : []),
    bind('y', valueRef(node.id), 'read_write', 'rows', co),
  ];
  const setup: string[] = ['let row = chunk.first + r;'];
  if (to === 'graph') setup.push('let g = row;', 'let first = graph_ptr[g];', 'let n = graph_ptr[g + 1u] - first;', 'let li = 0u;', 'let lj = 0u;');
  else {
    if (to === 'node') setup.push('let i = row;', 'let first = src[rowptr[i]];', 'let li = i - first;', 'let lj = li;');
    else setup.push('let i = dst[row];', 'let first = src[rowptr[i]];', 'let li = i - first;', 'let lj = src[row] - first;');
    setup.push('let n = rowptr[i + 1u] - rowptr[i];');
    // A graph input: the set's graph, by walking graph_ptr (the batch's graphs are few).
    if (from === 'graph') setup.push('var g = 0u;', 'loop { if (graph_ptr[g + 1u] > first) { break; } g = g + 1u; }');
  }
  const maps = a.basis.map((map, b) => {
    const inner = `var s = 0.0;\n${statCode(map, from, ci)}\nacc += s * w[${u32(b * ci * co)} + u * ${u32(co)} + t];`;
    const loop = `// basis map ${b}: ${map.stat} placed ${map.place}\nfor (var u = 0u; u < ${loopBound(ci)}; u++) {\n${indentBlock(inner, '  ')}\n}`;
    return map.place === 'diagonal' ? `if (li == lj) {\n${indentBlock(loop, '  ')}\n}` : loop;
  });
  const bias: string[] = [];
  if (a.bias && biasName) {
    a.bias.maps.forEach((m, k) => {
      const add = `acc += bias[${u32(k * co)} + t];`;
      bias.push(m === 'diagonal' ? `if (li == lj) { ${add} }` : add);
    });
  }
  const body = [rowPrologue(co), ...setup, 'var acc = 0.0;', ...maps, `acc = acc * ${f32(a.factor)};`, ...bias, 'y[id] = acc;'].join('\n');
  return {
    op: 'perm_linear',
    nodes: [node],
    bindings,
    body,
    domain: to === 'pair' ? 'edge' : to,
    ...(to === 'pair' ? { graph: PAIRS_GRAPH } : {}),
    threadsPerGroup: co,
    rowsPerGroup: 1,
    summary: `S(n)-equivariant linear ${from} -> ${to}, ${a.basis.length} basis maps, ${ci} -> ${co} channels`,
  };
}

/** Pair rows to graphs: sum, mean or max over the n^2 pairs of each set, one invocation per (graph, channel). */
export function poolPairsKernel(node: NodeOf<'pool'>, dim: number): KernelDraft {
  const reduce = node.attrs.reduce;
  const read = `x[e * ${u32(dim)} + t]`;
  const loop =
    reduce === 'max'
      ? `var acc = bitcast<f32>(0xff7fffffu); // the lowest float32\nfor (var e = a; e < b; e++) { acc = max(acc, ${read}); }`
      : `var acc = 0.0;\nfor (var e = a; e < b; e++) { acc += ${read}; }${reduce === 'mean' ? '\nacc = acc / f32(b - a);' : ''}`;
  return {
    op: 'pool_pairs',
    nodes: [node],
    bindings: [
      bind('x', valueRef(node.inputs[0]!), 'read', 'whole', dim),
      bind('rowptr', pairsRef('rowptr'), 'read', 'whole', 1, 'u32'),
      bind('graph_ptr', { kind: 'graphPtr' }, 'read', 'whole', 1, 'u32'),
      bind('y', valueRef(node.id), 'read_write', 'rows', dim),
    ],
    body: `${rowPrologue(Math.max(dim, 1))}
// the pairs of graph g: contiguous, from the first pair of its first node to the last of its last
let g = chunk.first + r;
let a = rowptr[graph_ptr[g]];
let b = rowptr[graph_ptr[g + 1u]];
${loop}
y[id] = acc;`,
    domain: 'graph',
    threadsPerGroup: Math.max(dim, 1),
    rowsPerGroup: 1,
    summary: `${reduce} over each graph's pairs`,
  };
}
