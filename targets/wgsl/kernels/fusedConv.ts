// The fused convolution: gather(x, side) -> tensor product (uvu) with the edge attributes and
// per-edge (or shared) weights -> scatter(sum) [-> scale], as one kernel over receivers. Edges
// are sorted by destination, so the messages into node n are the contiguous edges
// [rowptr[n], rowptr[n + 1]): one invocation per (node, input block, copy u) walks them in
// order, reads the sender's copy u once per edge, couples it with the edge attributes through
// every path of that input block (non-zero coefficients unrolled, factor and scale folded in)
// and keeps the sums in registers. Neither the gathered features nor the per-edge messages
// are ever written; no atomics, deterministic.

import type { IRCouplingTable, IRNode } from '../../../ir/types.js';
import { blockLayout } from '../../../stdlib/nn/layout.js';
import { loopBound, u32 } from '../emit.js';
import type { PlanBinding } from '../plan.js';
import { couplingLets, couplingUse } from './coupling.js';
import { bind, type KernelDraft, paramRef, rangeChain, valueRef } from './draft.js';
import { pathsByOutput } from './tensorProduct.js';

type NodeOf<Op extends IRNode['op']> = Extract<IRNode, { op: Op }>;

export interface ConvPattern {
  readonly gather: NodeOf<'gather'>;
  readonly tp: NodeOf<'tensor_product'>;
  readonly scatter: NodeOf<'scatter'>;
  readonly scale?: NodeOf<'scale'>;
}

/**
 * Whether the tensor product can be computed per receiver by this kernel: every path uvu (so
 * output copy u depends only on input copy u of the blocks its paths read).
 */
export function convFusible(tp: NodeOf<'tensor_product'>, tables: Readonly<Record<string, IRCouplingTable>>): boolean {
  if (tp.attrs.paths.length === 0 || tp.attrs.paths.some((p) => p.mode !== 'uvu')) return false;
  try {
    pathsByOutput(tp, tables);
    return true;
  } catch {
    return false;
  }
}

export function convKernel(pattern: ConvPattern, tables: Readonly<Record<string, IRCouplingTable>>, graph: string, dims: { dim1: number; dim2: number; dimOut: number }): KernelDraft {
  const { gather, tp, scatter, scale } = pattern;
  const { out, byOut } = pathsByOutput(tp, tables);
  const in1 = blockLayout(tp.attrs.in1);
  const in2 = blockLayout(tp.attrs.in2);
  const numel = tp.attrs.weightNumel;
  const weights = numel === 0 || tp.attrs.weights === 'none' ? 'none' : tp.attrs.weights === 'input' ? 'edge' : 'shared';
  const extraScale = scale ? scale.attrs.factor : 1;
  const { dim1, dim2, dimOut } = dims;

  const tasks: { start: number; end: number; code: string }[] = [];
  let start = 0;
  // Paths that share an input block or an output block form a group; uvu gives every block of
  // a group the same multiplicity, and one invocation per (node, group, copy u) owns copy u of
  // the group's output blocks. With one output block per path (NequIP's conv) the groups are
  // the input blocks; with shared output blocks they merge.
  const all = byOut.flat();
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  all.forEach((p, i) =>
    all.forEach((q, j) => {
      if (j > i && (p.path.i1 === q.path.i1 || p.path.iOut === q.path.iOut)) parent[find(j)] = find(i);
    }),
  );
  const groups = [...new Set(all.map((_, i) => find(i)))].map((root) => all.filter((_, i) => find(i) === root));
  for (const paths of groups) {
    const mul = in1[paths[0]!.path.i1]!.mul;
    if (mul === 0) continue;
    const s = start;
    start += mul;
    const i1s = [...new Set(paths.map((p) => p.path.i1))].sort((a, b) => a - b);
    const outs = [...new Set(paths.map((p) => p.path.iOut))].sort((a, b) => a - b);
    const lines: string[] = [`// input block${i1s.length > 1 ? 's' : ''} ${i1s.join(', ')} -> output block${outs.length > 1 ? 's' : ''} ${outs.join(', ')}: ${mul} copies, one invocation per copy u`, `let u = t - ${u32(s)};`];
    const reached = new Map<number, Set<number>>(outs.map((o) => [o, new Set<number>()]));
    for (const info of paths) for (const k of couplingUse(info.entries).ks) reached.get(info.path.iOut)!.add(k);
    for (const o of outs) for (const k of [...reached.get(o)!].sort((a, b) => a - b)) lines.push(`var acc${o}_${k} = 0.0;`);
    lines.push('for (var e = a; e < b; e++) {');
    lines.push(`  let src = idx[e] * ${u32(dim1)};`);
    for (const i1 of i1s) {
      const b1 = in1[i1]!;
      const xs = [...new Set(paths.filter((p) => p.path.i1 === i1).flatMap((info) => couplingUse(info.entries).xs))].sort((a, b) => a - b);
      lines.push(`  let xb${i1} = src + ${u32(b1.offset)} + u * ${u32(b1.dim)};`);
      for (const i of xs) lines.push(`  let x${i1}_${i} = x[xb${i1} + ${u32(i)}];`);
    }
    lines.push(`  let eb = e * ${u32(dim2)};`);
    if (weights === 'edge') lines.push(`  let wb = e * ${u32(numel)};`);
    for (const info of paths) {
      const { path: p, b2, entries } = info;
      const use = couplingUse(entries);
      const f = p.factor * extraScale;
      // W[u, v] of this path: per edge, shared, or none.
      const weighted = p.hasWeight && weights !== 'none';
      const wIndex = (v: string) => `${weights === 'edge' ? 'wb + ' : ''}${u32(p.weightOffset)} + u * ${u32(b2.mul)} + ${v}`;
      const inner = (v: string, pad: string) => [
        ...use.ys.map((j) => `${pad}let y${j} = sh[eb + ${u32(b2.offset)} + ${v} * ${u32(b2.dim)} + ${u32(j)}];`),
        ...couplingLets(entries, f, 't', `x${p.i1}_`, 'y').map((l) => pad + l),
        ...(weighted ? [`${pad}let wv = w[${wIndex(v)}];`] : []),
        ...use.ks.map((k) => `${pad}acc${p.iOut}_${k} += ${weighted ? 'wv * ' : ''}t${k};`),
      ];
      lines.push(`  { // path ${p.i1} x ${p.i2} -> ${p.iOut} (${p.coupling}), factor ${p.factor}${scale ? ` x scale ${extraScale}` : ''}`);
      if (b2.mul === 1) lines.push(...inner('0u', '    '));
      else lines.push(`    for (var v = 0u; v < ${loopBound(b2.mul)}; v++) {`, ...inner('v', '      '), '    }');
      lines.push('  }');
    }
    lines.push('}');
    for (const o of outs) {
      const bo = out[o]!;
      for (let k = 0; k < bo.dim; k++) lines.push(`y[yb + ${u32(bo.offset)} + u * ${u32(bo.dim)} + ${u32(k)}] = ${reached.get(o)!.has(k) ? `acc${o}_${k}` : '0.0'};`);
    }
    tasks.push({ start: s, end: start, code: lines.join('\n') });
  }
  // Output blocks no path reaches are zero: one invocation per copy writes them.
  out.forEach((bo, iOut) => {
    if (byOut[iOut]!.length > 0 || bo.mul === 0) return;
    const s = start;
    start += bo.mul;
    const writes = Array.from({ length: bo.dim }, (_, k) => `y[yb + ${u32(bo.offset)} + (t - ${u32(s)}) * ${u32(bo.dim)} + ${u32(k)}] = 0.0;`);
    tasks.push({ start: s, end: start, code: `// output block ${iOut}: no path reaches it\n${writes.join('\n')}` });
  });
  const threads = Math.max(start, 1);
  const rowptr = { kind: 'graph', graph, array: 'rowptr' } as const;
  const bindings: PlanBinding[] = [
    bind('x', valueRef(gather.inputs[0]!), 'read', 'whole', dim1),
    bind('idx', { kind: 'graph', graph, array: gather.attrs.side }, 'read', 'segment', 1, 'u32'),
    bind('sh', valueRef(tp.inputs[1]!), 'read', 'segment', dim2),
  ];
  if (weights === 'edge') bindings.push(bind('w', valueRef(tp.inputs[2]!), 'read', 'segment', numel));
  if (weights === 'shared') bindings.push(bind('w', paramRef(tp.params[0]!), 'read', 'whole', 1));
  const result = scale ?? scatter;
  bindings.push(bind('rowptr', rowptr, 'read', 'whole', 1, 'u32'), bind('y', valueRef(result.id), 'read_write', 'rows', dimOut));
  const body = [
    `let n = id / ${u32(threads)};`,
    `let t = id % ${u32(threads)};`,
    'if (n >= chunk.rows) { return; }',
    '// the edges into node n (sorted by destination), relative to the first edge bound in this chunk',
    'let a = rowptr[chunk.first + n] - chunk.segBase;',
    'let b = rowptr[chunk.first + n + 1u] - chunk.segBase;',
    `let yb = n * ${u32(dimOut)};`,
    rangeChain(tasks),
  ].join('\n');
  const nodes: IRNode[] = [gather, tp, scatter, ...(scale ? [scale] : [])];
  return {
    op: 'conv',
    nodes,
    bindings,
    body,
    domain: 'node',
    graph,
    segmentPtr: rowptr,
    threadsPerGroup: threads,
    rowsPerGroup: 1,
    summary: `fused conv: gather(${gather.attrs.side}) -> tensor product ${tp.attrs.in1.text} x ${tp.attrs.in2.text} (uvu, ${weights} weights) -> segmented sum${scale ? ` -> x ${extraScale}` : ''}`,
  };
}
