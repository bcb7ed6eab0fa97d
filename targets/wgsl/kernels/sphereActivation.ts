// e3nn's S2Activation and Facet's spherical-grid MLP (`sphere_activation`) in two kernels, with
// the grid's harmonics (dimIn x G) and quadrature (G x dimOut) matrices as constant tables:
// - `sphere_grid`: one invocation per (row, grid point): every copy's value at the point from
//   the harmonics table, then act per copy or the MLP across the copies, written point-major
//   (H[g * mulOut + u]) to a per-row grid value;
// - `sphere_back`: one invocation per output component (row, copy, l, m): the quadrature sum over
//   the grid points in blocks (float32 accuracy), its loop body repeated when G would pass
//   llvmpipe's loop limit.
// As in targets/ref/ops/sphereActivation.ts: f_u(g) = Σ_k c_uk Y_k(g), H = act(F) or mlp(F),
// y_uk = Σ_g H_u(g) w_g Y_k(g).

import type { IRNode, SphereActivationAttrs } from '../../../ir/types.js';
import { actExpr, f32, loopBound, u32, unrollFactor, unrolledLoop } from '../emit.js';
import type { PlanBinding, RowDomain } from '../plan.js';
import { bind, type KernelDraft, paramRef, rangeChain, valueRef } from './draft.js';

type SphereNode = Extract<IRNode, { op: 'sphere_activation' }>;

export interface SphereShape {
  readonly domain: RowDomain;
  readonly graph?: string;
  readonly dimIn: number;
  readonly dimOut: number;
  /** Points of the grid. */
  readonly G: number;
  /** The tables' names in the plan. */
  readonly toGrid: string;
  readonly fromGrid: string;
  /** The per-row grid value between the two kernels (width G * mulOut). */
  readonly gridValue: string;
}

/** The name of a grid's tables, shared by every sphere activation on the same grid and degrees. */
export function sphereTableNames(attrs: Pick<SphereActivationAttrs, 'lmaxIn' | 'lmaxOut' | 'nTheta' | 'nPhi'>): { toGrid: string; fromGrid: string } {
  const key = `sphere_grid_${attrs.nTheta}x${attrs.nPhi}`;
  return { toGrid: `${key}.Y${attrs.lmaxIn}`, fromGrid: `${key}.wY${attrs.lmaxOut}` };
}

/** Loop trips of one `sphere_grid` invocation: the harmonics sums and the MLP's layers. */
function gridTrips(attrs: SphereActivationAttrs, dinSh: number): number {
  const sizes = attrs.mlp?.sizes ?? [];
  let n = attrs.mul * dinSh;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i]! * sizes[i + 1]! + sizes[i + 1]!;
  return n;
}

export function sphereGridKernel(node: SphereNode, s: SphereShape): KernelDraft {
  const a = node.attrs;
  const G = s.G;
  const dinSh = (a.lmaxIn + 1) ** 2;
  const unroll = unrollFactor(gridTrips(a, dinSh));
  const lines: string[] = [`let r = id / ${u32(G)};`, `let g = id % ${u32(G)};`, 'if (r >= chunk.rows) { return; }', `let xb = r * ${u32(s.dimIn)};`];
  // Copy u's value at g: its degree-l coefficients sit at offsetsIn[l] + u (2l + 1) + m.
  lines.push(`var f: array<f32, ${a.mul}>;`, `for (var u = 0u; u < ${loopBound(a.mul)}; u++) {`, '  var s = 0.0;');
  for (let l = 0; l <= a.lmaxIn; l++) {
    const d = 2 * l + 1;
    const body = [`s += x[xb + ${u32(a.offsetsIn[l]!)} + u * ${u32(d)} + m] * tg[(${u32(l * l)} + m) * ${u32(G)} + g];`];
    lines.push(...unrolledLoop('m', d, 1, body).map((x) => '  ' + x));
  }
  lines.push('  f[u] = s;', '}');
  const hb = `r * ${u32(G * a.mulOut)} + g * ${u32(a.mulOut)}`;
  const bindings: PlanBinding[] = [bind('x', valueRef(node.inputs[0]!), 'read', 'rows', s.dimIn), bind('tg', { kind: 'table', name: s.toGrid }, 'read', 'whole', 1)];
  if (!a.mlp) {
    lines.push(`for (var u = 0u; u < ${loopBound(a.mul)}; u++) {`, `  h[${hb} + u] = ${actExpr(a.act, 'f[u]')};`, '}');
  } else {
    // e3nn FullyConnectedNet at every point: x @ (W / sqrt(h_in)), act between layers, not after the last.
    const sizes = a.mlp.sizes;
    let prev = 'f';
    for (let i = 0; i + 1 < sizes.length; i++) {
      const hIn = sizes[i]!;
      const hOut = sizes[i + 1]!;
      const last = i + 2 === sizes.length;
      const w = `w${i}`;
      bindings.push(bind(w, paramRef(node.params[i]!), 'read', 'whole', 1));
      const next = `a${i + 1}`;
      if (!last) lines.push(`var ${next}: array<f32, ${hOut}>;`);
      const sum = `${f32(1 / Math.sqrt(hIn))} * acc`;
      lines.push(
        `for (var j = 0u; j < ${loopBound(hOut)}; j++) {`,
        '  var acc = 0.0;',
        ...unrolledLoop('i', hIn, unroll, [`acc += ${prev}[i] * ${w}[i * ${u32(hOut)} + j];`]).map((x) => '  ' + x),
        last ? `  h[${hb} + j] = ${sum};` : `  ${next}[j] = ${actExpr(a.mlp.act, `(${sum})`)};`,
        '}',
      );
      prev = next;
    }
  }
  bindings.push(bind('h', valueRef(s.gridValue), 'read_write', 'rows', G * a.mulOut));
  return {
    op: 'sphere_grid',
    nodes: [node],
    bindings,
    body: lines.join('\n'),
    domain: s.domain,
    ...(s.graph ? { graph: s.graph } : {}),
    threadsPerGroup: G,
    rowsPerGroup: 1,
    summary: `sphere ${a.mlp ? 'MLP' : 'activation'} to a ${a.nTheta} x ${a.nPhi} grid: ${a.mul} copies of degrees 0..${a.lmaxIn}, ${a.mlp ? `MLP [${a.mlp.sizes.join(', ')}] at every point` : `${a.act.act} pointwise`}`,
  };
}

/**
 * The quadrature sums in blocks of this many points, each block's sum added to the total: a
 * float32 running sum over G points rounds G times at the size of the total (2.9e-5 off the
 * reference at G = 80,000), blocks round G / SUM_BLOCK times (about 1e-6 there).
 */
const SUM_BLOCK = 256;

export function sphereBackKernel(node: SphereNode, s: SphereShape): KernelDraft {
  const a = node.attrs;
  const G = s.G;
  const dout = (a.lmaxOut + 1) ** 2;
  const blocksOfG = Math.floor(G / SUM_BLOCK);
  const unroll = unrollFactor(G + blocksOfG);
  const blocks = Array.from({ length: a.lmaxOut + 1 }, (_, l) => ({ l, offset: a.offsetsOut[l]!, size: a.mulOut * (2 * l + 1) })).sort((p, q) => p.offset - q.offset);
  const ranges = blocks.map((b) => {
    const d = 2 * b.l + 1;
    const term = (g: string) => `h[hb + ${g} * ${u32(a.mulOut)} + u] * fg[${g} * ${u32(dout)} + k]`;
    const code = [`let c = t - ${u32(b.offset)};`, `let u = c / ${u32(d)};`, `let k = ${u32(b.l * b.l)} + c % ${u32(d)};`, 'var acc = 0.0;'];
    if (blocksOfG > 0) {
      code.push(
        `for (var blk = 0u; blk < ${loopBound(blocksOfG)}; blk++) {`,
        '  var part = 0.0;',
        `  let g0 = blk * ${u32(SUM_BLOCK)};`,
        ...unrolledLoop('j', SUM_BLOCK, unroll, [`part += ${term('(g0 + j)')};`]).map((x) => '  ' + x),
        '  acc += part;',
        '}',
      );
    }
    if (blocksOfG * SUM_BLOCK < G) code.push('{', '  var part = 0.0;', `  for (var g = ${u32(blocksOfG * SUM_BLOCK)}; g < ${loopBound(G)}; g++) { part += ${term('g')}; }`, '  acc += part;', '}');
    code.push(`y[r * ${u32(s.dimOut)} + t] = acc;`);
    return { start: b.offset, end: b.offset + b.size, code: code.join('\n') };
  });
  const threads = Math.max(s.dimOut, 1);
  const body = [`let r = id / ${u32(threads)};`, `let t = id % ${u32(threads)};`, 'if (r >= chunk.rows) { return; }', `let hb = r * ${u32(G * a.mulOut)};`, rangeChain(ranges)].join('\n');
  return {
    op: 'sphere_back',
    nodes: [node],
    bindings: [bind('h', valueRef(s.gridValue), 'read', 'rows', G * a.mulOut), bind('fg', { kind: 'table', name: s.fromGrid }, 'read', 'whole', 1), bind('y', valueRef(node.id), 'read_write', 'rows', s.dimOut)],
    body,
    domain: s.domain,
    ...(s.graph ? { graph: s.graph } : {}),
    threadsPerGroup: threads,
    rowsPerGroup: 1,
    summary: `sphere quadrature back to ${a.mulOut} copies of degrees 0..${a.lmaxOut} (${G} points${unroll > 1 ? `, loop body x${unroll}` : ''})`,
  };
}
