// The fused convolution: gather(x, side) -> tensor product (uvu) with the edge attributes and
// per-edge (or shared) weights -> scatter(sum) [-> scale], as one kernel over receivers. Edges
// are sorted by destination, so the messages into node n are the contiguous edges
// [rowptr[n], rowptr[n + 1]): one invocation per (node, input block, copy u) walks them in
// order, reads the sender's copy u once per edge, couples it with the edge attributes through
// every path of that input block (non-zero coefficients unrolled, factor and scale folded in)
// and keeps the sums in registers. Neither the gathered features nor the per-edge messages
// are ever written; no atomics, deterministic.

import type { IRCouplingTable, IRNode } from '../../../compiler/ir.js';
import { blockLayout } from '../../../stdlib/nn/layout.js';
import { u32 } from '../emit.js';
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
 * Whether the tensor product can be computed per receiver by this kernel: every path uvu, and
 * every output block reached from a single input block (so one invocation owns each output).
 */
export function convFusible(tp: NodeOf<'tensor_product'>, tables: Readonly<Record<string, IRCouplingTable>>): boolean {
  if (tp.attrs.paths.length === 0 || tp.attrs.paths.some((p) => p.mode !== 'uvu')) return false;
  try {
    const { byOut } = pathsByOutput(tp, tables);
    return byOut.every((paths) => new Set(paths.map((p) => p.path.i1)).size <= 1);
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
  // One task range per input block that some path reads.
  in1.forEach((b1, i1) => {
    const paths = byOut.flatMap((ps) => ps.filter((p) => p.path.i1 === i1));
    if (paths.length === 0 || b1.mul === 0) return;
    const s = start;
    start += b1.mul;
    const lines: string[] = [`// input block ${i1}: ${b1.mul} copies of dim ${b1.dim}; one invocation per copy u`, `let u = t - ${u32(s)};`];
    paths.forEach((info, q) => {
      const use = couplingUse(info.entries);
      for (const k of use.ks) lines.push(`var acc${q}_${k} = 0.0;`);
    });
    const xs = [...new Set(paths.flatMap((info) => couplingUse(info.entries).xs))].sort((a, b) => a - b);
    lines.push('for (var e = a; e < b; e++) {');
    lines.push(`  let xb = idx[e] * ${u32(dim1)} + ${u32(b1.offset)} + u * ${u32(b1.dim)};`);
    for (const i of xs) lines.push(`  let x${i} = x[xb + ${u32(i)}];`);
    lines.push(`  let eb = e * ${u32(dim2)};`);
    if (weights === 'edge') lines.push(`  let wb = e * ${u32(numel)};`);
    paths.forEach((info, q) => {
      const { path: p, b2, entries } = info;
      const use = couplingUse(entries);
      const f = p.factor * extraScale;
      // W[u, v] of this path: per edge, shared, or none.
      const weighted = p.hasWeight && weights !== 'none';
      const wIndex = (v: string) => `${weights === 'edge' ? 'wb + ' : ''}${u32(p.weightOffset)} + u * ${u32(b2.mul)} + ${v}`;
      const inner = (v: string, pad: string) => [
        ...use.ys.map((j) => `${pad}let y${j} = sh[eb + ${u32(b2.offset)} + ${v} * ${u32(b2.dim)} + ${u32(j)}];`),
        ...couplingLets(entries, f, 't', 'x', 'y').map((l) => pad + l),
        ...(weighted ? [`${pad}let wv = w[${wIndex(v)}];`] : []),
        ...use.ks.map((k) => `${pad}acc${q}_${k} += ${weighted ? 'wv * ' : ''}t${k};`),
      ];
      lines.push(`  { // path ${p.i1} x ${p.i2} -> ${p.iOut} (${p.coupling}), factor ${p.factor}${scale ? ` x scale ${extraScale}` : ''}`);
      if (b2.mul === 1) lines.push(...inner('0u', '    '));
      else lines.push(`    for (var v = 0u; v < ${u32(b2.mul)}; v++) {`, ...inner('v', '      '), '    }');
      lines.push('  }');
    });
    lines.push('}');
    paths.forEach((info, q) => {
      const bo = out[info.path.iOut]!;
      const use = couplingUse(info.entries);
      for (let k = 0; k < bo.dim; k++) {
        lines.push(`y[yb + ${u32(bo.offset)} + u * ${u32(bo.dim)} + ${u32(k)}] = ${use.ks.includes(k) ? `acc${q}_${k}` : '0.0'};`);
      }
    });
    tasks.push({ start: s, end: start, code: lines.join('\n') });
  });
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
  bindings.push(bind('rowptr', rowptr, 'read', 'rowsPlusOne', 1, 'u32'), bind('y', valueRef(result.id), 'read_write', 'rows', dimOut));
  const body = [
    `let n = id / ${u32(threads)};`,
    `let t = id % ${u32(threads)};`,
    'if (n >= chunk.rows) { return; }',
    '// the edges into node n (sorted by destination), relative to the first edge bound in this chunk',
    'let a = rowptr[n] - chunk.segBase;',
    'let b = rowptr[n + 1u] - chunk.segBase;',
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
