// What every generated kernel shares: the column layout it reads and writes, its locals, and
// the loop over groups of four rows. A value of R rows and D components lives in linear memory
// as D columns of `stride` floats (R rounded up to 4), so one v128 holds one component of four
// consecutive rows and every per-row formula becomes a SIMD formula unchanged. Addresses are
// baked into the code: a column's start is the memarg's constant offset and the running row
// offset `p` (bytes) is the only dynamic part, so a load is `local.get p; v128.load offset=K`.

import { Code, forLoop, type ValType } from '../encoder/code.js';
import type { FunctionDef } from '../encoder/module.js';

/** A value in column layout: byte address of column 0 and bytes between columns. */
export interface Columns {
  readonly ptr: number;
  /** Bytes per column: 4 * stride. */
  readonly colBytes: number;
}

/** The byte address of column `c`. */
export const col = (v: Columns, c: number): number => v.ptr + c * v.colBytes;

export class Frame {
  readonly code = new Code();
  private readonly locals: ValType[] = [];
  /** Params (r0, r1): the kernel's rows [r0, r1), multiples of 4 (the thread's share). */
  readonly r0 = 0;
  readonly r1 = 1;
  /** The row offset in bytes: 4 * row of the group being computed. */
  readonly p: number;
  constructor() {
    this.p = this.local('i32');
  }
  local(t: ValType): number {
    this.locals.push(t);
    return 1 + this.locals.length;
  }
  /** `count` fresh locals of one type. */
  many(t: ValType, count: number): number[] {
    return Array.from({ length: count }, () => this.local(t));
  }
  /**
   * The loop over groups of 4 rows of the thread's share, p = 4 * row. With `per` > 1 the body
   * handles `per` consecutive groups at once while they fit, and `rest` the last few, one
   * group at a time.
   */
  rowGroups(body: (c: Code) => void, per = 1, rest?: (c: Code) => void): void {
    const c = this.code;
    const end = (c: Code) => c.localGet(this.r1).i32(2).op('i32.shl');
    if (per === 1) return forLoop(c, this.p, (c) => c.localGet(this.r0).i32(2).op('i32.shl'), end, 16, body);
    // p + 16 (per - 1) < 4 r1: all `per` groups are inside the share.
    forLoop(c, this.p, (c) => c.localGet(this.r0).i32(2).op('i32.shl'), (c) => end(c).i32(16 * (per - 1)).op('i32.sub'), 16 * per, body);
    forLoop(c, this.p, (c) => c.localGet(this.p), end, 16, rest ?? body);
  }
  /** A counted loop over i in [0, n) on a fresh i32 local, unrolled away when n is 1. */
  counted(n: number, body: (i: number | null) => void): void {
    if (n === 1) return body(null);
    const i = this.local('i32');
    forLoop(this.code, i, (c) => c.i32(0), (c) => c.i32(n), 1, () => body(i));
  }
  /**
   * Pushes p + index * scale (i32), index a loop local or null (0); `withP` false leaves p out
   * (shared weights, one value for every row).
   */
  address(index: readonly (readonly [number | null, number])[], withP = true): void {
    const c = this.code;
    let pushed = false;
    if (withP) {
      c.localGet(this.p);
      pushed = true;
    }
    for (const [i, scale] of index) {
      if (i === null || scale === 0) continue;
      c.localGet(i);
      if (scale !== 1) c.i32(scale).op('i32.mul');
      if (pushed) c.op('i32.add');
      pushed = true;
    }
    if (!pushed) c.i32(0);
  }
  finish(name: string): FunctionDef {
    return { name, params: ['i32', 'i32'], results: [], locals: this.locals, body: this.code.end() };
  }
}

/**
 * Columns to rows for four rows at a time: `v` holds four v128 locals, component k + j of rows
 * 0..3 in lane r of v[j]; after transpose4, `pushRow4(r)` pushes row r's four components
 * (k..k+3) as one v128, ready for a store into float32 rows. `t` is four v128 scratch locals.
 */
export function transpose4(c: Code, v: readonly number[], t: readonly number[]): (r: number) => void {
  c.localGet(v[0]!).localGet(v[1]!).shuffle32([0, 4, 1, 5]).localSet(t[0]!); // a0 b0 a1 b1
  c.localGet(v[0]!).localGet(v[1]!).shuffle32([2, 6, 3, 7]).localSet(t[1]!); // a2 b2 a3 b3
  c.localGet(v[2]!).localGet(v[3]!).shuffle32([0, 4, 1, 5]).localSet(t[2]!); // c0 d0 c1 d1
  c.localGet(v[2]!).localGet(v[3]!).shuffle32([2, 6, 3, 7]).localSet(t[3]!); // c2 d2 c3 d3
  return (r: number) => {
    c.localGet(r < 2 ? t[0]! : t[1]!).localGet(r < 2 ? t[2]! : t[3]!);
    c.shuffle32(r % 2 === 0 ? [0, 1, 4, 5] : [2, 3, 6, 7]);
  };
}
