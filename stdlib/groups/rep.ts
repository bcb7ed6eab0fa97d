// A representation as the compiler sees it, for any group: an ordered list of blocks
// `mul x ir`, where `ir` is one of the group's atoms (an irrep of O(3) such as 1o, a frequency
// of SO(2), a tensor rep T(p,q) of GL+(n), ...). The layout is multiplicity-major (e3nn's):
// within a block the copy index is outer and the ir.dim components are inner; blocks are
// concatenated in order. Values are immutable.

import { layoutBlocks } from '../../ir/layout.js';
import type { IRRep } from '../../ir/types.js';

export interface Atom {
  /** Unique within its group: equal keys mean equal atoms. */
  readonly key: string;
  readonly dim: number;
  /** The atom in the group's notation (`1o`, `T(2,0)`). */
  toString(): string;
}

export interface RepBlock<A extends Atom = Atom> {
  readonly mul: number;
  readonly ir: A;
}

export class Rep<A extends Atom = Atom> {
  readonly blocks: readonly RepBlock<A>[];

  constructor(blocks: readonly RepBlock<A>[]) {
    for (const b of blocks) {
      if (!Number.isInteger(b.mul) || b.mul < 0) throw new RangeError(`multiplicity must be a non-negative integer, got ${b.mul}`);
    }
    this.blocks = Object.freeze(blocks.map((b) => Object.freeze({ mul: b.mul, ir: b.ir })));
  }

  static of<A extends Atom>(blocks: readonly RepBlock<A>[]): Rep<A> {
    return new Rep(blocks);
  }

  get dim(): number {
    let d = 0;
    for (const b of this.blocks) d += b.mul * b.ir.dim;
    return d;
  }

  /** Number of atom copies, sum of multiplicities. */
  get numIrreps(): number {
    let n = 0;
    for (const b of this.blocks) n += b.mul;
    return n;
  }

  get length(): number {
    return this.blocks.length;
  }

  /** Direct sum: the blocks of `this` then those of `other`. */
  concat(other: Rep<A>): Rep<A> {
    return new Rep([...this.blocks, ...other.blocks]);
  }

  /** `k x (a + b)` = `k*mul_a x a + k*mul_b x b`. */
  scale(k: number): Rep<A> {
    return new Rep(this.blocks.map((b) => ({ mul: b.mul * k, ir: b.ir })));
  }

  /** Merge adjacent blocks of equal atoms and drop empty ones (e3nn's simplify). */
  simplify(): Rep<A> {
    const out: { mul: number; ir: A }[] = [];
    for (const b of this.blocks) {
      if (b.mul === 0) continue;
      const last = out[out.length - 1];
      if (last && last.ir.key === b.ir.key) last.mul += b.mul;
      else out.push({ mul: b.mul, ir: b.ir });
    }
    return new Rep(out);
  }

  /** Same layout: equal after simplify. `16x0e + 16x0e` equals `32x0e`. */
  sameLayout(other: Rep<A>): boolean {
    const a = this.simplify().blocks;
    const b = other.simplify().blocks;
    return a.length === b.length && a.every((x, i) => x.mul === b[i]!.mul && x.ir.key === b[i]!.ir.key);
  }

  /** Same blocks exactly, as written. */
  equals(other: Rep<A>): boolean {
    const a = this.blocks;
    const b = other.blocks;
    return a.length === b.length && a.every((x, i) => x.mul === b[i]!.mul && x.ir.key === b[i]!.ir.key);
  }

  /** Isomorphic: the same count of every atom, in any order. */
  isomorphic(other: Rep<A>): boolean {
    const count = (r: Rep<A>) => {
      const m = new Map<string, number>();
      for (const b of r.blocks) m.set(b.ir.key, (m.get(b.ir.key) ?? 0) + b.mul);
      for (const [k, v] of m) if (v === 0) m.delete(k);
      return m;
    };
    const a = count(this);
    const b = count(other);
    return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  }

  /** Total multiplicity of one atom. */
  count(ir: A): number {
    let n = 0;
    for (const b of this.blocks) if (b.ir.key === ir.key) n += b.mul;
    return n;
  }

  /** Offsets [start, end) of each block in the flat layout. */
  slices(): [number, number][] {
    const out: [number, number][] = [];
    let offset = 0;
    for (const b of this.blocks) {
      const d = b.mul * b.ir.dim;
      out.push([offset, offset + d]);
      offset += d;
    }
    return out;
  }

  /** e3nn's printed form: `16x0e+8x1o`. Groups with another notation print through their own format. */
  toString(): string {
    return this.blocks.map((b) => `${b.mul}x${b.ir.toString()}`).join('+');
  }
}

/**
 * A rep as the IR lays it out (ir/layout.ts), atoms written by `formatAtom` and the whole by
 * `text` (the group's notation; `mulxatom` joined by `+` when absent). Atoms that carry O(3)'s
 * degree and parity (`l`, `p` = ±1) pass them on.
 */
export function repLayout<A extends Atom>(rep: Rep<A>, formatAtom: (a: A) => string = (a) => a.toString(), text?: string): IRRep {
  return layoutBlocks(
    rep.blocks.map(({ mul, ir }) => {
      const o3 = ir as Atom & { l?: unknown; p?: unknown };
      return { mul, ir: formatAtom(ir), dim: ir.dim, ...(typeof o3.l === 'number' ? { l: o3.l } : {}), ...(o3.p === 1 || o3.p === -1 ? { p: o3.p } : {}) };
    }),
    text,
  );
}
