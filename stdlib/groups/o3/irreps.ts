// Irreducible representations of O(3) and their direct sums, with e3nn's semantics (e3nn's
// o3.Irrep and o3.Irreps): the string forms `1o`, `16x0e+8x1o`, the product rule, the sort
// order and the algebra (simplify, sort, regroup). Error messages are e3nn's, word for word,
// because users compare them with e3nn's.

import { Rep, type Atom, type RepBlock } from '../rep.js';

/** What e3nn raises as ValueError when a string or value is not an irrep or irreps. */
export class IrrepsError extends Error {
  override readonly name = 'IrrepsError';
}

// Python's str.strip() whitespace (str.isspace), which is not JavaScript's trim(): it includes
// \x1c-\x1f and \x85 and excludes \ufeff.
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

function pyStrip(s: string): string {
  return s.replace(PY_STRIP, '');
}

/** Python's int(s) for base-10 strings: surrounding spaces, a sign, digits with single underscores. */
function pyInt(s: string): number | undefined {
  const t = pyStrip(s);
  if (!/^[+-]?[0-9]+(?:_[0-9]+)*$/.test(t)) return undefined;
  return Number(t.replace(/_/g, '')) + 0; // + 0 turns int('-0') into 0, not -0
}

export class Irrep implements Atom {
  readonly l: number;
  readonly p: 1 | -1;

  /** Throws e3nn's messages for a negative or fractional l and for a parity other than +-1. */
  constructor(l: number, p: number) {
    if (!Number.isInteger(l) || l < 0) throw new IrrepsError(`l must be positive integer, got ${l}`);
    if (p !== 1 && p !== -1) throw new IrrepsError(`parity must be on of (-1, 1), got ${p}`);
    this.l = l;
    this.p = p;
    Object.freeze(this);
  }

  /** `1o`, `2e`, `3y` (parity (-1)^l), surrounding spaces allowed; e3nn's Irrep(str). */
  static parse(s: string): Irrep {
    const name = pyStrip(s);
    const l = pyInt(name.slice(0, -1));
    const last = name.slice(-1);
    if (l === undefined || l < 0 || !Number.isSafeInteger(l) || (last !== 'e' && last !== 'o' && last !== 'y')) {
      throw new IrrepsError(`unable to convert string "${name}" into an Irrep`);
    }
    const p = last === 'e' ? 1 : last === 'o' ? -1 : l % 2 === 0 ? 1 : -1;
    return new Irrep(l, p);
  }

  /** An Irrep, a string like `1o`, or a pair [l, p]. */
  static from(x: IrrepLike): Irrep {
    if (x instanceof Irrep) return x;
    if (typeof x === 'string') return Irrep.parse(x);
    return new Irrep(x[0], x[1]);
  }

  /**
   * Every irrep of O(3) in e3nn's order: 0e, 0o, 1o, 1e, 2e, 2o, ... (for each l, the parity of
   * the spherical harmonics first). Stops after lmax when given, otherwise never.
   */
  static *iterator(lmax?: number): Generator<Irrep, void, undefined> {
    for (let l = 0; ; l++) {
      const natural = l % 2 === 0 ? 1 : -1;
      yield new Irrep(l, natural);
      yield new Irrep(l, -natural);
      if (l === lmax) return;
    }
  }

  /** e3nn's sort order: by l, then odd before even (0o < 0e < 1o < 1e). */
  static compare(a: Irrep, b: Irrep): number {
    return a.l !== b.l ? a.l - b.l : a.p - b.p;
  }

  compare(other: Irrep): number {
    return Irrep.compare(this, other);
  }

  get dim(): number {
    return 2 * this.l + 1;
  }

  get key(): string {
    return this.toString();
  }

  equals(other: Irrep): boolean {
    return this.l === other.l && this.p === other.p;
  }

  /** 0e, the invariant scalar. */
  isScalar(): boolean {
    return this.l === 0 && this.p === 1;
  }

  /** The irreps in this ⊗ other: l from |l1 - l2| to l1 + l2, parity p1 p2 (e3nn's ir1 * ir2). */
  times(other: Irrep): Irrep[] {
    const p = this.p * other.p;
    const out: Irrep[] = [];
    for (let l = Math.abs(this.l - other.l); l <= this.l + other.l; l++) out.push(new Irrep(l, p));
    return out;
  }

  toString(): string {
    return `${this.l}${this.p === 1 ? 'e' : 'o'}`;
  }
}

export type IrrepLike = Irrep | string | readonly [number, number];

/** One block `mul x ir` in any of e3nn's list forms: [mul, [l, p]], [mul, Irrep], [mul, '1o'], or a lone irrep. */
export type MulIrLike = readonly [number, IrrepLike] | RepBlock<Irrep> | Irrep | string;

export type IrrepsLike = Irreps | Rep<Irrep> | string | Irrep | readonly MulIrLike[];

/** A path of the full tensor product: blocks i1 of the first input and i2 of the second make block iOut. */
export interface FullTensorProductInstruction {
  readonly i1: number;
  readonly i2: number;
  readonly iOut: number;
}

export interface FullTensorProduct {
  /** The inputs as the instructions index them: simplified, as e3nn's FullTensorProduct does. */
  readonly in1: Irreps;
  readonly in2: Irreps;
  /** Every product irrep of every pair of blocks with multiplicity mul1 * mul2, sorted. */
  readonly irreps: Irreps;
  readonly instructions: readonly FullTensorProductInstruction[];
}

export interface IrrepsSort {
  readonly irreps: Irreps;
  /** p[i] = the position in the sorted irreps of block i. */
  readonly p: readonly number[];
  /** inv[j] = the original index of sorted block j. */
  readonly inv: readonly number[];
}

function describeMulIr(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x instanceof Irrep) return x.toString();
  if (Array.isArray(x)) return `(${x.map(describeMulIr).join(', ')})`;
  return String(x);
}

function toBlock(x: MulIrLike): RepBlock<Irrep> {
  if (typeof x === 'string') return { mul: 1, ir: Irrep.parse(x) };
  if (x instanceof Irrep) return { mul: 1, ir: x };
  if (!Array.isArray(x)) {
    const b = x as RepBlock<Irrep>;
    if (b.ir instanceof Irrep) return { mul: b.mul, ir: b.ir };
  } else if (x.length === 2) {
    const [mul, ir] = x as readonly [number, IrrepLike];
    if (Number.isInteger(mul) && mul >= 0) {
      try {
        return { mul, ir: Irrep.from(ir) };
      } catch {
        // fall through to e3nn's message
      }
    }
  }
  throw new IrrepsError(`Unable to interpret "${describeMulIr(x)}" as an irrep.`);
}

/** A direct sum of irreps of O(3), e.g. `16x0e+8x1o`: e3nn's o3.Irreps, on top of Rep's layout. */
export class Irreps extends Rep<Irrep> {
  constructor(blocks: readonly RepBlock<Irrep>[] = []) {
    super(blocks);
  }

  /**
   * e3nn's Irreps(str): terms split on '+', each `MULxIR` (MUL read like Python's int()) or
   * `IR`; the empty (or blank) string is the empty Irreps.
   */
  static parse(s: string): Irreps {
    const blocks: RepBlock<Irrep>[] = [];
    const fail = () => new IrrepsError(`Unable to convert string "${s}" into an Irreps`);
    if (pyStrip(s) === '') return new Irreps([]);
    for (const term of s.split('+')) {
      let mul: number | undefined = 1;
      let irText = term;
      if (term.includes('x')) {
        const parts = term.split('x');
        if (parts.length !== 2) throw fail();
        mul = pyInt(parts[0]!);
        irText = parts[1]!;
      }
      let ir: Irrep;
      try {
        ir = Irrep.parse(irText);
      } catch {
        throw fail();
      }
      if (mul === undefined || mul < 0 || !Number.isSafeInteger(mul)) throw fail();
      blocks.push({ mul, ir });
    }
    return new Irreps(blocks);
  }

  /** From a string, an Irrep, a Rep of irreps, or a list of blocks ([mul, [l, p]], [mul, Irrep], ...). */
  static from(x: IrrepsLike): Irreps {
    if (x instanceof Irreps) return x;
    if (x instanceof Rep) return new Irreps(x.blocks);
    if (typeof x === 'string') return Irreps.parse(x);
    if (x instanceof Irrep) return new Irreps([{ mul: 1, ir: x }]);
    return new Irreps(x.map(toBlock));
  }

  /** 1x0e+1x1o+...+1x(lmax)(p^lmax): the irreps of the spherical harmonics up to lmax. */
  static sphericalHarmonics(lmax: number, p: 1 | -1 = -1): Irreps {
    const blocks: RepBlock<Irrep>[] = [];
    for (let l = 0; l <= lmax; l++) blocks.push({ mul: 1, ir: new Irrep(l, l % 2 === 0 ? 1 : p) });
    return new Irreps(blocks);
  }

  /** e3nn's list form, [[mul, [l, p]], ...]. */
  toList(): [number, [number, number]][] {
    return this.blocks.map((b) => [b.mul, [b.ir.l, b.ir.p]]);
  }

  /** The degree of every irrep copy, repeated by multiplicity. */
  get ls(): number[] {
    const out: number[] = [];
    for (const { mul, ir } of this.blocks) for (let u = 0; u < mul; u++) out.push(ir.l);
    return out;
  }

  /** The largest degree. Throws like e3nn on an empty Irreps, and on one whose multiplicities are all zero. */
  get lmax(): number {
    if (this.blocks.length === 0) throw new IrrepsError('Cannot get lmax of empty Irreps');
    // e3nn takes max() of the (here empty) list of degrees; Python's own message is what users see.
    if (this.numIrreps === 0) throw new IrrepsError('max() arg is an empty sequence');
    let lmax = 0;
    for (const b of this.blocks) if (b.mul > 0) lmax = Math.max(lmax, b.ir.l);
    return lmax;
  }

  /** Whether some block (of any multiplicity, like e3nn's `in`) is this irrep. */
  contains(ir: IrrepLike): boolean {
    const x = Irrep.from(ir);
    return this.blocks.some((b) => b.ir.equals(x));
  }

  /** Direct sum, e3nn's `+`. */
  add(other: IrrepsLike): Irreps {
    return new Irreps([...this.blocks, ...Irreps.from(other).blocks]);
  }

  override concat(other: Rep<Irrep>): Irreps {
    return this.add(other);
  }

  /** e3nn's `Irreps * k`: the list of blocks repeated k times (not the multiplicities scaled). */
  repeat(k: number): Irreps {
    if (!Number.isInteger(k)) throw new IrrepsError(`can't multiply Irreps by non-int ${k}`);
    const blocks: RepBlock<Irrep>[] = [];
    for (let t = 0; t < k; t++) blocks.push(...this.blocks);
    return new Irreps(blocks);
  }

  override scale(k: number): Irreps {
    return new Irreps(super.scale(k).blocks);
  }

  /** Merge neighbouring equal irreps and drop multiplicity 0; never reorders. */
  override simplify(): Irreps {
    return new Irreps(super.simplify().blocks);
  }

  removeZeroMultiplicities(): Irreps {
    return new Irreps(this.blocks.filter((b) => b.mul > 0));
  }

  /** Stable sort by irrep (e3nn's Irreps.sort, sorting (ir, index, mul) tuples). */
  sort(): IrrepsSort {
    const inv = this.blocks.map((_, i) => i).sort((i, j) => Irrep.compare(this.blocks[i]!.ir, this.blocks[j]!.ir) || i - j);
    const p = new Array<number>(inv.length);
    inv.forEach((orig, pos) => (p[orig] = pos));
    return { irreps: new Irreps(inv.map((i) => this.blocks[i]!)), p, inv };
  }

  /** Sort, then simplify: one block per irrep, in e3nn's order. */
  regroup(): Irreps {
    return this.sort().irreps.simplify();
  }

  /**
   * e3nn's FullTensorProduct(this, other): for each pair of blocks of the simplified inputs, in
   * order, every product irrep with multiplicity mul1 * mul2; the result sorted, and each
   * instruction's output index mapped through the sort.
   */
  tensor(other: IrrepsLike, filter?: readonly IrrepLike[]): FullTensorProduct {
    const in1 = this.simplify();
    const in2 = Irreps.from(other).simplify();
    const keep = filter?.map((x) => Irrep.from(x));
    const out: RepBlock<Irrep>[] = [];
    const raw: FullTensorProductInstruction[] = [];
    in1.blocks.forEach((b1, i1) => {
      in2.blocks.forEach((b2, i2) => {
        for (const ir of b1.ir.times(b2.ir)) {
          if (keep && !keep.some((k) => k.equals(ir))) continue;
          raw.push({ i1, i2, iOut: out.length });
          out.push({ mul: b1.mul * b2.mul, ir });
        }
      });
    });
    const { irreps, p } = new Irreps(out).sort();
    return { in1, in2, irreps, instructions: raw.map((x) => ({ i1: x.i1, i2: x.i2, iOut: p[x.iOut]! })) };
  }
}
