// The two halves of a convolution around its tensor product, as scalar kernels over an index
// array in wasm memory: the gather (edge e of each column reads node src[e]) parallel over
// edges, and the sum at receivers over receiver-sorted edges (node n sums edges
// ptr[n] .. ptr[n+1], 4 at a time) parallel over nodes, so each thread owns its nodes' sums and
// no float needs an atomic. The gather unrolls its columns (four lane loads and one v128 store per
// component); the sum loops over groups of columns at run time, column-major.

import { forLoop } from '../encoder/code.js';
import type { FunctionDef } from '../encoder/module.js';
import { type Columns, col, Frame, transpose4 } from './frame.js';

/**
 * out[k][e] = x[k][index[e]] for rows e in [r0, r1); index: i32 at byte indexPtr. Four rows at
 * a time: each column's four values are loaded lane by lane (v128.load32_lane) and stored as
 * one v128.
 */
export function gatherKernel(x: Columns, out: Columns, indexPtr: number, dim: number): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const s = f.many('i32', 4);
  f.rowGroups(() => {
    for (let l = 0; l < 4; l++) c.localGet(f.p).i32Load(indexPtr + 4 * l).i32(2).op('i32.shl').localSet(s[l]!);
    for (let k = 0; k < dim; k++) {
      const at = col(x, k);
      c.localGet(f.p);
      c.localGet(s[3]!).localGet(s[2]!).localGet(s[1]!).localGet(s[0]!);
      c.v128Load32Splat(at).v128Load32Lane(at, 1).v128Load32Lane(at, 2).v128Load32Lane(at, 3);
      c.v128Store(col(out, k));
    }
  });
  return f.finish('gather');
}

/**
 * Columns summed per pass over the thread's nodes: their loads share the node loop's control
 * and the run bounds (measured on W1L's 1,152 columns, see segmentSumKernel).
 */
export const SEGMENT_SUM_COLUMNS = 4;

/**
 * out[k][n] = Σ_{e in [ptr[n], ptr[n+1])} m[k][e] for nodes n in [r0, r1); ptr: i32 at byte
 * ptrPtr. A node's edges are consecutive rows, so each column's run is summed 4 edges per
 * v128 (unaligned loads), the lanes added at the end, the last few edges one by one.
 *
 * Column-major: a runtime loop over groups of SEGMENT_SUM_COLUMNS columns, and inside it the
 * loop over the thread's nodes, so the loads stream through each column (the node-major order
 * jumped 20 KB between columns for every node, a fresh page and cache line per load). The
 * group's columns are one dynamic offset (cm, co: bytes from column 0) plus constant
 * immediates; columns past the last whole group go one at a time.
 */
export function segmentSumKernel(m: Columns, out: Columns, ptrPtr: number, dim: number): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const n4 = f.local('i32');
  const a4 = f.local('i32');
  const b4 = f.local('i32');
  const e4 = f.local('i32');
  const cm = f.local('i32');
  const co = f.local('i32');
  const kk = f.local('i32');
  const acc = f.many('f32', SEGMENT_SUM_COLUMNS);
  const vacc = f.many('v128', SEGMENT_SUM_COLUMNS);
  /** Columns [from, to) in groups of `per`: kk counts columns, cm and co follow it. */
  const pass = (per: number, from: number, to: number) => {
    if (to - from < per) return;
    c.i32(from * m.colBytes).localSet(cm).i32(from * out.colBytes).localSet(co);
    forLoop(c, kk, (c) => c.i32(from), (c) => c.i32(to - per + 1), per, () => {
      forLoop(c, n4, (c) => c.localGet(f.r0).i32(2).op('i32.shl'), (c) => c.localGet(f.r1).i32(2).op('i32.shl'), 4, () => {
        c.localGet(n4).i32Load(ptrPtr).i32(2).op('i32.shl').localGet(cm).op('i32.add').localSet(a4);
        c.localGet(n4).i32Load(ptrPtr + 4).i32(2).op('i32.shl').localGet(cm).op('i32.add').localSet(b4);
        for (let j = 0; j < per; j++) c.f32x4Const(0).localSet(vacc[j]!);
        // e4 + 16 <= b4: four whole edges left.
        forLoop(c, e4, (c) => c.localGet(a4), (c) => c.localGet(b4).i32(12).op('i32.sub'), 16, () => {
          for (let j = 0; j < per; j++) c.localGet(vacc[j]!).localGet(e4).v128Load(col(m, j)).simd('f32x4.add').localSet(vacc[j]!);
        });
        for (let j = 0; j < per; j++) {
          const v = vacc[j]!;
          c.localGet(v).lane('f32x4.extract_lane', 0).localGet(v).lane('f32x4.extract_lane', 1).op('f32.add');
          c.localGet(v).lane('f32x4.extract_lane', 2).localGet(v).lane('f32x4.extract_lane', 3).op('f32.add').op('f32.add').localSet(acc[j]!);
        }
        forLoop(c, e4, (c) => c.localGet(e4), (c) => c.localGet(b4), 4, () => {
          for (let j = 0; j < per; j++) c.localGet(acc[j]!).localGet(e4).f32Load(col(m, j)).op('f32.add').localSet(acc[j]!);
        });
        for (let j = 0; j < per; j++) c.localGet(n4).localGet(co).op('i32.add').localGet(acc[j]!).f32Store(col(out, j));
      });
      c.localGet(cm).i32(per * m.colBytes).op('i32.add').localSet(cm);
      c.localGet(co).i32(per * out.colBytes).op('i32.add').localSet(co);
    });
  };
  const whole = dim - (dim % SEGMENT_SUM_COLUMNS);
  pass(SEGMENT_SUM_COLUMNS, 0, whole);
  pass(1, whole, dim);
  return f.finish('segment_sum');
}

/**
 * Layout changes between rows and float32 columns, over rows [r0, r1): the copies into and out
 * of wasm memory, threaded like any kernel. Into columns the rows are float64 (the runner's own
 * values, copied in as bytes, rows up to the share's multiple of 4 read), converted here
 * (demotion rounds to nearest like Math.fround). Out of columns the rows are float32 (`rowPtr`, dim
 * per row, rows up to the share's multiple of 4 written): four columns of four rows are one 4x4
 * shuffle transpose and four v128 stores; the host's copy out converts them to float64 rows
 * where it needs them (Float64Array.set converts as fast as it copies), so the kernel writes half
 * the bytes.
 */
export function transposeKernel(direction: 'toColumns' | 'toRows', rowPtr: number, dim: number, cols: Columns): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const ra = f.local('i32');
  if (direction === 'toRows') {
    const v = f.many('v128', 4);
    const t = f.many('v128', 4);
    f.rowGroups(() => {
      // Byte address of the group's first row: 4 * dim * row = dim * p.
      c.localGet(f.p).i32(dim).op('i32.mul').localSet(ra);
      let k = 0;
      for (; k + 4 <= dim; k += 4) {
        for (let j = 0; j < 4; j++) c.localGet(f.p).v128Load(col(cols, k + j)).localSet(v[j]!);
        const row = transpose4(c, v, t);
        for (let r = 0; r < 4; r++) {
          c.localGet(ra);
          row(r);
          c.v128Store(rowPtr + 4 * dim * r + 4 * k);
        }
      }
      for (; k < dim; k++) for (let r = 0; r < 4; r++) c.localGet(ra).localGet(f.p).f32Load(col(cols, k) + 4 * r).f32Store(rowPtr + 4 * dim * r + 4 * k);
    });
    return f.finish(direction);
  }
  // Into columns, four rows at a time: components k, k+1 of each row are one f64x2 load, demoted
  // to two float32 lanes; two shuffles pair the rows and two more split them into column k's
  // and column k+1's v128 (an odd dim's last component goes value by value).
  const d = f.many('v128', 4);
  const pair = f.many('v128', 2);
  f.rowGroups(() => {
    // Byte address of the group's first row: 8 * dim * row = 2 * dim * p.
    c.localGet(f.p).i32(2 * dim).op('i32.mul').localSet(ra);
    let k = 0;
    for (; k + 2 <= dim; k += 2) {
      for (let r = 0; r < 4; r++) c.localGet(ra).v128Load(rowPtr + 8 * dim * r + 8 * k).simd('f32x4.demote_f64x2_zero').localSet(d[r]!);
      c.localGet(d[0]!).localGet(d[1]!).shuffle32([0, 4, 1, 5]).localSet(pair[0]!); // r0k r1k r0k' r1k'
      c.localGet(d[2]!).localGet(d[3]!).shuffle32([0, 4, 1, 5]).localSet(pair[1]!); // r2k r3k r2k' r3k'
      c.localGet(f.p).localGet(pair[0]!).localGet(pair[1]!).shuffle32([0, 1, 4, 5]).v128Store(col(cols, k));
      c.localGet(f.p).localGet(pair[0]!).localGet(pair[1]!).shuffle32([2, 3, 6, 7]).v128Store(col(cols, k + 1));
    }
    if (k < dim) for (let r = 0; r < 4; r++) c.localGet(f.p).localGet(ra).f64Load(rowPtr + 8 * dim * r + 8 * k).op('f32.demote_f64').f32Store(col(cols, k) + 4 * r);
  });
  return f.finish(direction);
}

/**
 * out[k][n] = Σ_{i in [ptr[n], ptr[n+1])} m[k][perm[i]] for nodes n in [r0, r1): the sum at
 * nodes of edge columns whose edges are not sorted by that node (a gather's VJP: the senders),
 * through `perm`, the edges sorted by node (i32 at permPtr; ptr at ptrPtr). Scalar: each term
 * is a load through the index. Threads own nodes, so no float needs an atomic.
 */
export function segmentSumByIndexKernel(m: Columns, out: Columns, ptrPtr: number, permPtr: number, dim: number): FunctionDef {
  const f = new Frame();
  const c = f.code;
  const n4 = f.local('i32');
  const a4 = f.local('i32');
  const b4 = f.local('i32');
  const i4 = f.local('i32');
  const e4 = f.local('i32');
  const acc = f.local('f32');
  forLoop(c, n4, (c) => c.localGet(f.r0).i32(2).op('i32.shl'), (c) => c.localGet(f.r1).i32(2).op('i32.shl'), 4, () => {
    c.localGet(n4).i32Load(ptrPtr).i32(2).op('i32.shl').localSet(a4);
    c.localGet(n4).i32Load(ptrPtr + 4).i32(2).op('i32.shl').localSet(b4);
    for (let k = 0; k < dim; k++) {
      c.f32(0).localSet(acc);
      forLoop(c, i4, (c) => c.localGet(a4), (c) => c.localGet(b4), 4, () => {
        c.localGet(i4).i32Load(permPtr).i32(2).op('i32.shl').localSet(e4);
        c.localGet(acc).localGet(e4).f32Load(col(m, k)).op('f32.add').localSet(acc);
      });
      c.localGet(n4).localGet(acc).f32Store(col(out, k));
    }
  });
  return f.finish('segment_sum_by_index');
}
