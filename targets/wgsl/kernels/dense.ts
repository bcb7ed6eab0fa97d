// Equivariant linear maps (e3nn o3.Linear) and MLP layers (e3nn FullyConnectedNet) as one
// kind of kernel: for each output block, a sum over its paths of x[u, k] W[u, w] with the path
// factor folded in, plus an optional bias and activation. Two styles:
// - blocked: each invocation computes 4 rows x 4 output copies of one component k, loading 4
//   inputs and 4 weights per u for 16 multiply-adds (register blocking; on CPU WebGPU this beats
//   workgroup-memory tiling, see ../../../docs/benchmarks.md);
// - naive: one output component per invocation.
// Paths with basis maps (GL+(n)) are computed per (row, output copy), all components at once.

import type { ScaledActivation } from '../../../ir/types.js';
import { actExpr, f32, u32, unrollFactor, unrolledLoop } from '../emit.js';
import type { PlanBinding } from '../plan.js';
import { rangeChain } from './draft.js';

export interface DensePath {
  /** Offset of the input block in a row, its multiplicity (the copies have stride `dim`). */
  readonly xOffset: number;
  readonly mulIn: number;
  readonly wOffset: number;
  readonly factor: number;
  /** Basis maps (dimOut x dimIn of the atom, row-major) when present; the weight is then (mulIn, mulOut, nbasis). */
  readonly basis?: readonly (readonly number[])[];
  readonly dimIn?: number;
}

export interface DenseGroup {
  readonly outOffset: number;
  readonly mulOut: number;
  /** Components of one output copy. */
  readonly dim: number;
  readonly paths: readonly DensePath[];
  /** Bias index of copy w, component k: biasOffset + w * dim + k. */
  readonly biasOffset?: number;
}

export interface DenseSpec {
  readonly dimIn: number;
  readonly dimOut: number;
  readonly groups: readonly DenseGroup[];
  readonly act?: ScaledActivation;
  readonly hasBias: boolean;
  readonly style: 'blocked' | 'naive';
}

export interface DenseCode {
  readonly body: string;
  readonly threadsPerGroup: number;
  readonly rowsPerGroup: number;
}

const TILE = 4;

function hasBasis(g: DenseGroup): boolean {
  return g.paths.some((p) => p.basis !== undefined);
}

/** How many times the loops over input copies repeat their body: an invocation of a group loops over every path's copies. */
function groupUnroll(g: DenseGroup, rows = 1): number {
  return unrollFactor(rows * g.paths.reduce((n, p) => n + p.mulIn, 0));
}

function finish(spec: DenseSpec, g: DenseGroup, acc: string, w: string, k: string): string {
  let v = acc;
  if (g.biasOffset !== undefined && spec.hasBias) v = `${v} + bias[${u32(g.biasOffset)} + ${w} * ${u32(g.dim)} + ${k}]`;
  return spec.act ? actExpr(spec.act, v) : v;
}

/** Per (row, output copy w): every component, for groups with basis maps; `rows` invocations' worth run in one (blocked). */
function basisGroupCode(spec: DenseSpec, g: DenseGroup, rowExpr: string, wExpr: string, rows = 1): string {
  const lines: string[] = [];
  for (let a = 0; a < g.dim; a++) lines.push(`var acc${a} = 0.0;`);
  const unroll = groupUnroll(g, rows);
  g.paths.forEach((p, pi) => {
    const di = p.dimIn ?? g.dim;
    const basis = p.basis ?? [Array.from({ length: g.dim * di }, (_, i) => (Math.floor(i / di) === i % di ? 1 : 0))];
    const nb = basis.length;
    const mo = g.mulOut;
    lines.push(`// path ${pi}: input copies at ${p.xOffset}, ${p.mulIn} x ${di}, ${nb} basis map${nb > 1 ? 's' : ''}, factor ${p.factor}`);
    const body = [`let xb = ${rowExpr} * ${u32(spec.dimIn)} + ${u32(p.xOffset)} + u * ${u32(di)};`];
    for (let c = 0; c < di; c++) body.push(`let x${c} = x[xb + ${u32(c)}];`);
    body.push(`let wb = ${u32(p.wOffset)} + (u * ${u32(mo)} + ${wExpr}) * ${u32(nb)};`);
    for (let b = 0; b < nb; b++) {
      body.push(`let wv${b} = ${f32(p.factor)} * w[wb + ${u32(b)}];`);
      for (let a = 0; a < g.dim; a++) {
        const terms: string[] = [];
        for (let c = 0; c < di; c++) {
          const v = basis[b]![a * di + c]!;
          if (Math.fround(v) !== 0) terms.push(Math.fround(v) === 1 ? `x${c}` : `${f32(v)} * x${c}`);
        }
        if (terms.length > 0) body.push(`acc${a} += wv${b} * (${terms.join(' + ')});`);
      }
    }
    lines.push(...unrolledLoop('u', p.mulIn, unroll, body));
  });
  lines.push(`let yb = ${rowExpr} * ${u32(spec.dimOut)} + ${u32(g.outOffset)} + ${wExpr} * ${u32(g.dim)};`);
  for (let a = 0; a < g.dim; a++) lines.push(`y[yb + ${u32(a)}] = ${finish(spec, g, `acc${a}`, wExpr, `${a}u`)};`);
  return lines.join('\n');
}

/** One output component per invocation: t enumerates (block, copy, component) of a row. */
function naive(spec: DenseSpec): DenseCode {
  let start = 0;
  const ranges = spec.groups.map((g) => {
    const count = hasBasis(g) ? g.mulOut : g.mulOut * g.dim;
    const s = start;
    start += count;
    let code: string;
    if (hasBasis(g)) {
      code = `let wo = t - ${u32(s)};\n${basisGroupCode(spec, g, 'r', 'wo')}`;
    } else {
      const lines = [`let c = t - ${u32(s)};`, `let wo = c / ${u32(g.dim)};`, `let k = c % ${u32(g.dim)};`, 'var acc = 0.0;'];
      const unroll = groupUnroll(g);
      for (const p of g.paths) {
        lines.push(...unrolledLoop('u', p.mulIn, unroll, [`acc += ${f32(p.factor)} * x[r * ${u32(spec.dimIn)} + ${u32(p.xOffset)} + u * ${u32(g.dim)} + k] * w[${u32(p.wOffset)} + u * ${u32(g.mulOut)} + wo];`]));
      }
      lines.push(`y[r * ${u32(spec.dimOut)} + ${u32(g.outOffset)} + c] = ${finish(spec, g, 'acc', 'wo', 'k')};`);
      code = lines.join('\n');
    }
    return { start: s, end: start, code };
  });
  const threads = Math.max(start, 1);
  const body = `let r = id / ${u32(threads)};\nlet t = id % ${u32(threads)};\nif (r >= chunk.rows) { return; }\n${rangeChain(ranges)}`;
  return { body, threadsPerGroup: threads, rowsPerGroup: 1 };
}

/** 4 rows x 4 copies per invocation: t enumerates (block, copy tile, component) of a group of 4 rows; tile `tile` holds copies tile + j * tiles. */
function blocked(spec: DenseSpec): DenseCode {
  const R = TILE;
  let start = 0;
  const ranges = spec.groups.map((g) => {
    const s = start;
    if (hasBasis(g)) {
      start += g.mulOut;
      const code = [`let wo = t - ${u32(s)};`, `for (var i = 0u; i < ${R}u; i++) {`, `  let r = r0 + i;`, `  if (r < chunk.rows) {`, basisGroupCode(spec, g, 'r', 'wo', R).replace(/^/gm, '    '), '  }', '}'].join('\n');
      return { start: s, end: start, code };
    }
    const tiles = Math.ceil(g.mulOut / TILE);
    start += tiles * g.dim;
    const C = Math.min(TILE, g.mulOut);
    // Copy j of tile `tile` is tile + j * tiles: neighbouring invocations (which llvmpipe runs in
    // the lanes of one SIMD register) then read neighbouring weights and write neighbouring
    // outputs, instead of addresses TILE apart.
    const lines = [`let c = t - ${u32(s)};`, `let tile = c / ${u32(g.dim)};`, `let k = c % ${u32(g.dim)};`];
    const copy = (j: number) => (j === 0 ? 'tile' : `(tile + ${u32(j * tiles)})`);
    const exact = tiles * C === g.mulOut;
    // Rows past the chunk read the last row (their results are not written).
    for (let i = 0; i < R; i++) lines.push(`let xr${i} = min(r0 + ${i}u, chunk.rows - 1u) * ${u32(spec.dimIn)} + k;`);
    // Copies past the block read the last copy's weights (not written either).
    for (let j = 0; j < C; j++) lines.push(`let wc${j} = ${exact ? copy(j) : `min(${copy(j)}, ${u32(g.mulOut - 1)})`};`);
    for (let i = 0; i < R; i++) lines.push(`var a${i}_0 = 0.0;${Array.from({ length: C - 1 }, (_, j) => ` var a${i}_${j + 1} = 0.0;`).join('')}`);
    // e3nn gives every path into a block the same factor: then it multiplies the sums once at the end.
    const common = g.paths.every((p) => Math.fround(p.factor) === Math.fround(g.paths[0]!.factor)) ? (g.paths[0]?.factor ?? 1) : undefined;
    const unroll = groupUnroll(g);
    g.paths.forEach((p, pi) => {
      lines.push(`// path ${pi}: ${p.mulIn} input copies at ${p.xOffset}, weights at ${p.wOffset}, factor ${p.factor}`);
      const body = [`let xo = ${u32(p.xOffset)} + u * ${u32(g.dim)};`];
      for (let i = 0; i < R; i++) body.push(common === undefined ? `let x${i} = ${f32(p.factor)} * x[xr${i} + xo];` : `let x${i} = x[xr${i} + xo];`);
      body.push(`let wb = ${u32(p.wOffset)} + u * ${u32(g.mulOut)};`);
      for (let j = 0; j < C; j++) body.push(`let wv${j} = w[wb + wc${j}];`);
      for (let i = 0; i < R; i++) body.push(Array.from({ length: C }, (_, j) => `a${i}_${j} += x${i} * wv${j};`).join(' '));
      lines.push(...unrolledLoop('u', p.mulIn, unroll, body));
    });
    for (let i = 0; i < R; i++) {
      lines.push(`if (r0 + ${i}u < chunk.rows) {`);
      lines.push(`  let yb = (r0 + ${i}u) * ${u32(spec.dimOut)} + ${u32(g.outOffset)} + k;`);
      for (let j = 0; j < C; j++) {
        const guard = exact ? '' : `if (${copy(j)} < ${u32(g.mulOut)}) `;
        const acc = common === undefined || Math.fround(common) === 1 ? `a${i}_${j}` : `${f32(common)} * a${i}_${j}`;
        const write = `y[yb + ${copy(j)} * ${u32(g.dim)}] = ${finish(spec, g, acc, copy(j), 'k')};`;
        lines.push(`  ${guard ? `${guard}{ ${write} }` : write}`);
      }
      lines.push('}');
    }
    return { start: s, end: start, code: lines.join('\n') };
  });
  const threads = Math.max(start, 1);
  const body = `let g = id / ${u32(threads)};\nlet t = id % ${u32(threads)};\nlet r0 = g * ${R}u;\nif (r0 >= chunk.rows) { return; }\n${rangeChain(ranges)}`;
  return { body, threadsPerGroup: threads, rowsPerGroup: R };
}

export function denseCode(spec: DenseSpec): DenseCode {
  return spec.style === 'blocked' ? blocked(spec) : naive(spec);
}

export function denseBindings(x: PlanBinding, w: PlanBinding | undefined, bias: PlanBinding | undefined, y: PlanBinding): PlanBinding[] {
  return [x, ...(w ? [w] : []), ...(bias ? [bias] : []), y];
}
