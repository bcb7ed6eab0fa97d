// Tensor products (e3nn o3.TensorProduct) of two per-row inputs, every mode, with shared,
// per-row or no weights. The paths, their modes and factors, and the non-zero coupling
// coefficients are unrolled as constants. Two styles:
// - blocked: one invocation per (row, output block, tile of 4 copies) for uvw and weighted uuw
//   (each coupled pair t = C x_u y_v is formed once and spread to 4 output copies), one per
//   (row, output block, copy) for the other modes; every component of the copy at once;
// - naive: one invocation per output component (row, block, copy, k), forming only t_k.

import type { IRCouplingTable, IRNode, TPPath } from '../../../ir/types.js';
import { blockLayout, type BlockLayout } from '../../../stdlib/nn/layout.js';
import { loopBound, u32 } from '../emit.js';
import type { PlanBinding } from '../plan.js';
import { couplingEntries, couplingLets, couplingUse, type CouplingEntry } from './coupling.js';
import { bind, type KernelDraft, paramRef, rangeChain, valueRef } from './draft.js';

type TPNode = Extract<IRNode, { op: 'tensor_product' }>;

const TILE = 4;

interface PathInfo {
  readonly path: TPPath;
  readonly b1: BlockLayout;
  readonly b2: BlockLayout;
  readonly entries: readonly CouplingEntry[];
}

export interface TPContext {
  readonly dim1: number;
  readonly dim2: number;
  readonly dimOut: number;
  /** `shared`: weights from a parameter; `row`: per-row weights at w[rw + ...]; `none`. */
  readonly weights: 'shared' | 'row' | 'none';
  readonly numel: number;
}

/** The paths into each output block, with their layouts and coupling entries. */
export function pathsByOutput(node: TPNode, tables: Readonly<Record<string, IRCouplingTable>>): { out: BlockLayout[]; byOut: PathInfo[][] } {
  if (node.type.kind !== 'field') throw new Error(`${node.id}: a tensor product must produce a field`);
  const in1 = blockLayout(node.attrs.in1);
  const in2 = blockLayout(node.attrs.in2);
  const out = blockLayout(node.type.rep);
  const byOut: PathInfo[][] = out.map(() => []);
  for (const path of node.attrs.paths) {
    // validateModule guarantees the blocks and the table exist and fit each other.
    const b1 = in1[path.i1]!;
    const b2 = in2[path.i2]!;
    const bo = out[path.iOut]!;
    const table = tables[path.coupling]!;
    if (b1.mul === 0 || b2.mul === 0 || bo.mul === 0) continue; // e3nn drops paths with a zero in their shape
    byOut[path.iOut]!.push({ path, b1, b2, entries: couplingEntries(table) });
  }
  return { out, byOut };
}

/** The weight read of a path for pair index expression `idx` (already scaled to the path's layout). */
function weightRead(ctx: TPContext, p: TPPath, idx: string): string {
  if (!p.hasWeight || ctx.weights === 'none') return '1.0';
  const base = ctx.weights === 'row' ? `rw + ${u32(p.weightOffset)}` : u32(p.weightOffset);
  return `w[${base} + ${idx}]`;
}

/**
 * Accumulate one path into acc<j>_<k> for the copies w0 + j (j < tw) of its output block,
 * restricted to the components `ks` (all reached ones when undefined).
 */
export function pathAccumulate(ctx: TPContext, info: PathInfo, mo: number, tw: number, ks?: readonly number[]): string[] {
  const { path: p, b1, b2, entries } = info;
  const use = couplingUse(entries, ks);
  if (use.ks.length === 0) return [];
  const m1 = b1.mul;
  const m2 = b2.mul;
  const f = p.factor;
  const loadX = (u: string, pad: string) => use.xs.map((i) => `${pad}let x${i} = a[ra + ${u32(b1.offset)} + ${u} * ${u32(b1.dim)} + ${u32(i)}];`);
  const loadY = (v: string, pad: string) => use.ys.map((j) => `${pad}let y${j} = b[rb + ${u32(b2.offset)} + ${v} * ${u32(b2.dim)} + ${u32(j)}];`);
  const couple = (pad: string) => couplingLets(entries, f, 't', 'x', 'y', ks).map((l) => pad + l);
  const add = (j: number, wv: string, pad: string) => use.ks.map((k) => `${pad}acc${j}_${k} += ${wv === '1.0' ? `t${k}` : `${wv} * t${k}`};`);
  const wc = (j: number) => (mo % tw === 0 ? `w0 + ${j}u` : `min(w0 + ${j}u, ${u32(mo - 1)})`);
  const lines: string[] = [];
  switch (p.mode) {
    case 'uvw':
      lines.push(`for (var u = 0u; u < ${loopBound(m1)}; u++) {`, ...loadX('u', '  '), `  for (var v = 0u; v < ${loopBound(m2)}; v++) {`, ...loadY('v', '    '), ...couple('    '));
      for (let j = 0; j < tw; j++) lines.push(`    let wv${j} = ${weightRead(ctx, p, `(u * ${u32(m2)} + v) * ${u32(mo)} + ${wc(j)}`)};`, ...add(j, `wv${j}`, '    '));
      lines.push('  }', '}');
      break;
    case 'uuw':
      lines.push(`for (var u = 0u; u < ${loopBound(m1)}; u++) {`, ...loadX('u', '  '), ...loadY('u', '  '), ...couple('  '));
      if (p.hasWeight && ctx.weights !== 'none') {
        for (let j = 0; j < tw; j++) lines.push(`  let wv${j} = ${weightRead(ctx, p, `u * ${u32(mo)} + ${wc(j)}`)};`, ...add(j, `wv${j}`, '  '));
      } else {
        lines.push(...add(0, '1.0', '  ')); // e3nn: the unweighted uuw sums over u into one copy
      }
      lines.push('}');
      break;
    case 'uvu':
      lines.push(...loadX('w0', ''), `for (var v = 0u; v < ${loopBound(m2)}; v++) {`, ...loadY('v', '  '), ...couple('  '), ...add(0, weightRead(ctx, p, `w0 * ${u32(m2)} + v`), '  '), '}');
      break;
    case 'uvv':
      lines.push(...loadY('w0', ''), `for (var u = 0u; u < ${loopBound(m1)}; u++) {`, ...loadX('u', '  '), ...couple('  '), ...add(0, weightRead(ctx, p, `u * ${u32(m2)} + w0`), '  '), '}');
      break;
    case 'uuu':
      lines.push('{', ...loadX('w0', '  '), ...loadY('w0', '  '), ...couple('  '), ...add(0, weightRead(ctx, p, 'w0'), '  '), '}');
      break;
    case 'uvuv':
      lines.push('{', `  let u = w0 / ${u32(m2)};`, `  let v = w0 % ${u32(m2)};`, ...loadX('u', '  '), ...loadY('v', '  '), ...couple('  '), ...add(0, weightRead(ctx, p, `u * ${u32(m2)} + v`), '  '), '}');
      break;
  }
  // Each path in its own scope: the x, y and t names repeat from path to path.
  return [`{ // path ${p.i1} x ${p.i2} -> ${p.iOut}, mode ${p.mode}, factor ${f} (${p.coupling})`, ...lines.map((l) => '  ' + l), '}'];
}

/** Copies per invocation for an output block in the blocked style. */
function tileOf(paths: readonly PathInfo[], mo: number): number {
  const tileable = paths.length > 0 && paths.every((p) => p.path.mode === 'uvw' || (p.path.mode === 'uuw' && p.path.hasWeight));
  return tileable && mo >= TILE ? TILE : 1;
}

export function tensorProductBody(node: TPNode, tables: Readonly<Record<string, IRCouplingTable>>, ctx: TPContext, style: 'blocked' | 'naive'): { body: string; threads: number } {
  const { out, byOut } = pathsByOutput(node, tables);
  let start = 0;
  const ranges: { start: number; end: number; code: string }[] = [];
  out.forEach((bo, iOut) => {
    const paths = byOut[iOut]!;
    const mo = bo.mul;
    const d3 = bo.dim;
    if (mo === 0 || d3 === 0) return;
    const s = start;
    const lines: string[] = [`// output block ${iOut}: ${mo} copies of dim ${d3} at ${bo.offset}${paths.length === 0 ? ' (no path reaches it: zero)' : ''}`];
    if (style === 'blocked') {
      const tw = tileOf(paths, mo);
      const tiles = Math.ceil(mo / tw);
      start += tiles;
      lines.push(`let w0 = (t - ${u32(s)}) * ${u32(tw)};`);
      for (let j = 0; j < tw; j++) for (let k = 0; k < d3; k++) lines.push(`var acc${j}_${k} = 0.0;`);
      for (const info of paths) lines.push(...pathAccumulate(ctx, info, mo, tw));
      for (let j = 0; j < tw; j++) {
        const guard = mo % tw === 0 ? '' : `if (w0 + ${j}u < ${u32(mo)}) `;
        const writes = Array.from({ length: d3 }, (_, k) => `y[ry + ${u32(bo.offset)} + (w0 + ${j}u) * ${u32(d3)} + ${u32(k)}] = acc${j}_${k};`);
        lines.push(guard ? `${guard}{\n${writes.map((w) => '  ' + w).join('\n')}\n}` : writes.join('\n'));
      }
    } else {
      start += mo * d3;
      lines.push(`let c = t - ${u32(s)};`, `let w0 = c / ${u32(d3)};`, `let kk = c % ${u32(d3)};`, `var acc0 = 0.0;`, 'switch kk {');
      for (let k = 0; k < d3; k++) {
        const body: string[] = [`var acc0_${k} = 0.0;`];
        for (const info of paths) body.push(...pathAccumulate(ctx, info, mo, 1, [k]));
        body.push(`acc0 = acc0_${k};`);
        lines.push(`  case ${u32(k)}: {`, ...body.map((l) => '    ' + l), '  }');
      }
      lines.push('  default: {}', '}', `y[ry + ${u32(bo.offset)} + c] = acc0;`);
    }
    ranges.push({ start: s, end: start, code: lines.join('\n') });
  });
  // Components of the output no block covers (an empty output) need no invocation.
  const threads = Math.max(start, 1);
  const rowBases = [`let ra = r * ${u32(ctx.dim1)};`, `let rb = r * ${u32(ctx.dim2)};`, `let ry = r * ${u32(ctx.dimOut)};`];
  if (ctx.weights === 'row') rowBases.push(`let rw = r * ${u32(ctx.numel)};`);
  const body = [`let r = id / ${u32(threads)};`, `let t = id % ${u32(threads)};`, 'if (r >= chunk.rows) { return; }', ...rowBases, rangeChain(ranges)].join('\n');
  return { body, threads };
}

export function tensorProductKernel(
  node: TPNode,
  tables: Readonly<Record<string, IRCouplingTable>>,
  shape: { domain: 'node' | 'edge' | 'graph'; graph?: string; dim1: number; dim2: number; dimOut: number },
  style: 'blocked' | 'naive',
): KernelDraft {
  const weights: TPContext['weights'] = node.attrs.weightNumel === 0 || node.attrs.weights === 'none' ? 'none' : node.attrs.weights === 'input' ? 'row' : 'shared';
  const ctx: TPContext = { dim1: shape.dim1, dim2: shape.dim2, dimOut: shape.dimOut, weights, numel: node.attrs.weightNumel };
  const { body, threads } = tensorProductBody(node, tables, ctx, style);
  const bindings: PlanBinding[] = [bind('a', valueRef(node.inputs[0]!), 'read', 'rows', shape.dim1), bind('b', valueRef(node.inputs[1]!), 'read', 'rows', shape.dim2)];
  if (weights === 'row') bindings.push(bind('w', valueRef(node.inputs[2]!), 'read', 'rows', node.attrs.weightNumel));
  if (weights === 'shared') bindings.push(bind('w', paramRef(node.params[0]!), 'read', 'whole', 1));
  bindings.push(bind('y', valueRef(node.id), 'read_write', 'rows', shape.dimOut));
  const modes = [...new Set(node.attrs.paths.map((p) => p.mode))].join('/');
  return {
    op: 'tp',
    nodes: [node],
    bindings,
    body,
    domain: shape.domain,
    ...(shape.graph ? { graph: shape.graph } : {}),
    threadsPerGroup: threads,
    rowsPerGroup: 1,
    summary: `tensor product ${node.attrs.in1.text} x ${node.attrs.in2.text} (${modes}, ${node.attrs.paths.length} paths, ${weights} weights, ${style})`,
  };
}
