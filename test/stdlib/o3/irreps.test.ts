import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Irrep, Irreps, IrrepsError } from '../../../stdlib/groups/o3/irreps.js';
import { Rep } from '../../../stdlib/groups/rep.js';
import { fixture } from './fixture.js';

const algebra = fixture.irreps_algebra;

describe('Irreps against e3nn (irreps_algebra.valid)', () => {
  for (const e of algebra.valid) {
    it(`parses ${JSON.stringify(e.input)} like e3nn`, () => {
      const x = Irreps.parse(e.input);
      expect(x.toString()).toBe(e.repr);
      expect(Irreps.parse(x.toString()).equals(x)).toBe(true);
      expect(x.blocks.map((b) => [b.mul, b.ir.l, b.ir.p])).toEqual(e.list);
      expect(x.toList()).toEqual(e.list.map(([mul, l, p]) => [mul, [l, p]]));
      expect(x.dim).toBe(e.dim);
      expect(x.numIrreps).toBe(e.num_irreps);
      expect(x.length).toBe(e.len);
      expect(x.ls).toEqual(e.ls);
      if (e.lmax.ok) expect(x.lmax).toBe(e.lmax.value);
      else expect(() => x.lmax).toThrow(new IrrepsError(e.lmax.error_message));
      expect(x.simplify().toString()).toBe(e.simplify);
      expect(x.removeZeroMultiplicities().toString()).toBe(e.remove_zero_multiplicities);
      const sorted = x.sort();
      expect(sorted.irreps.toString()).toBe(e.sort_irreps);
      expect(sorted.p).toEqual(e.sort_p);
      expect(sorted.inv).toEqual(e.sort_inv);
      expect(x.regroup().toString()).toBe(e.regroup);
      expect(x.slices()).toEqual(e.slices);
    });
  }
});

describe('Irreps.parse errors (irreps_algebra.invalid)', () => {
  for (const e of algebra.invalid) {
    if (e.ok) {
      it(`accepts ${JSON.stringify(e.input)} as ${e.value}`, () => {
        expect(Irreps.parse(e.input).toString()).toBe(e.value);
      });
    } else {
      it(`rejects ${JSON.stringify(e.input)} with e3nn's message`, () => {
        expect(() => Irreps.parse(e.input)).toThrow(IrrepsError);
        expect(() => Irreps.parse(e.input)).toThrow(new IrrepsError(e.error_message));
      });
    }
  }

  it('reads multiplicities like Python int(): underscores, signs, leading zeros', () => {
    expect(Irreps.parse('1_0x0e').toString()).toBe('10x0e');
    // '+' splits terms, so a sign only reaches int() as '-0' or inside an irrep
    expect(Irreps.parse('-0x1o').toString()).toBe('0x1o');
    expect(Irrep.parse('+1o').toString()).toBe('1o');
    expect(Irrep.parse('-0e').l).toBe(0);
    expect(Irreps.parse('007x2e').toString()).toBe('7x2e');
    expect(() => Irreps.parse('1__0x0e')).toThrow('Unable to convert string "1__0x0e" into an Irreps');
    expect(() => Irreps.parse('_1x0e')).toThrow(IrrepsError);
    expect(Irreps.parse('   ').length).toBe(0);
  });
});

describe('Irrep', () => {
  for (const e of algebra.irrep_invalid) {
    it(`rejects ${JSON.stringify(e.input)} with e3nn's message`, () => {
      const ctor = /^Irrep\((-?\d+), (-?\d+)\)$/.exec(e.input);
      const make = ctor ? () => new Irrep(Number(ctor[1]), Number(ctor[2])) : () => Irrep.parse(e.input);
      expect(make).toThrow(new IrrepsError(e.error_message));
    });
  }

  it('parses the three parity letters and surrounding spaces', () => {
    expect(Irrep.parse('1o')).toMatchObject({ l: 1, p: -1, dim: 3, key: '1o' });
    expect(Irrep.parse(' 2e ')).toMatchObject({ l: 2, p: 1, dim: 5 });
    expect(Irrep.parse('3y').toString()).toBe('3o');
    expect(Irrep.parse('4y').toString()).toBe('4e');
    expect(Irrep.parse('16o').dim).toBe(33);
    expect(() => Irrep.parse('  1z ')).toThrow('unable to convert string "1z" into an Irrep');
  });

  for (const e of algebra.irrep_products) {
    it(`${e.a} x ${e.b} = ${e.products.join(' + ')}`, () => {
      expect(Irrep.parse(e.a).times(Irrep.parse(e.b)).map(String)).toEqual(e.products);
    });
  }

  it("iterates in e3nn's order", () => {
    const it8: string[] = [];
    for (const ir of Irrep.iterator()) {
      it8.push(ir.toString());
      if (it8.length === 8) break;
    }
    expect(it8).toEqual(algebra.irrep_iterator_first8);
    expect([...Irrep.iterator(2)].map(String)).toEqual(['0e', '0o', '1o', '1e', '2e', '2o']);
  });

  it('sorts odd before even within a degree', () => {
    const irs = ['1e', '0e', '2o', '1o', '0o', '2e'].map((s) => Irrep.parse(s));
    expect([...irs].sort(Irrep.compare).map(String)).toEqual(['0o', '0e', '1o', '1e', '2o', '2e']);
    expect(Irrep.parse('0o').compare(Irrep.parse('0e'))).toBeLessThan(0);
    expect(Irrep.parse('1o').compare(Irrep.parse('0e'))).toBeGreaterThan(0);
  });

  it('product selection rule holds for every pair up to l = 16', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 16 }), fc.constantFrom(1, -1), fc.constantFrom(1, -1), (l1, l2, p1, p2) => {
        const out = new Irrep(l1, p1).times(new Irrep(l2, p2));
        expect(out.map((ir) => ir.l)).toEqual(Array.from({ length: 2 * Math.min(l1, l2) + 1 }, (_, i) => Math.abs(l1 - l2) + i));
        expect(out.every((ir) => ir.p === p1 * p2)).toBe(true);
        // Dimensions add up: (2l1+1)(2l2+1) = sum (2l+1).
        expect(out.reduce((s, ir) => s + ir.dim, 0)).toBe((2 * l1 + 1) * (2 * l2 + 1));
      }),
    );
  });
});

describe('Irreps algebra', () => {
  it('builds from e3nn list forms', () => {
    expect(Irreps.from([[2, [0, 1]], [3, [1, -1]]]).toString()).toBe('2x0e+3x1o');
    expect(Irreps.from([[4, Irrep.parse('2e')], '1o', [1, '0o']]).toString()).toBe('4x2e+1x1o+1x0o');
    expect(Irreps.from('1o + 2x2e').toString()).toBe('1x1o+2x2e');
    expect(Irreps.from(Irrep.parse('3o')).toString()).toBe('1x3o');
    expect(() => Irreps.from([[-1, [0, 1]]])).toThrow('Unable to interpret "(-1, (0, 1))" as an irrep.');
    expect(() => Irreps.from([[1, [0, 2]]])).toThrow(IrrepsError);
  });

  it('adds, repeats and scales like e3nn', () => {
    const x = Irreps.parse('2x1e');
    expect(x.repeat(3).toString()).toBe('2x1e+2x1e+2x1e');
    expect(x.repeat(3).simplify().toString()).toBe('6x1e');
    expect(Irreps.parse('0e + 1e').repeat(2).toString()).toBe('1x0e+1x1e+1x0e+1x1e');
    expect(x.repeat(0).toString()).toBe('');
    expect(x.add('1o').toString()).toBe('2x1e+1x1o');
    expect(x.scale(4).toString()).toBe('8x1e');
    expect(x.add('0e')).toBeInstanceOf(Irreps);
    expect(x.concat(Irreps.parse('0e')).toString()).toBe('2x1e+1x0e');
  });

  it('simplify merges only neighbours (e3nn doc examples)', () => {
    expect(Irreps.parse('1e + 1e + 0e').simplify().toString()).toBe('2x1e+1x0e');
    expect(Irreps.parse('1e + 1e + 0e + 1e').simplify().toString()).toBe('2x1e+1x0e+1x1e');
    expect(Irreps.parse('1x1o + 0x2e + 1x1o').simplify().toString()).toBe('2x1o');
    expect(Irreps.parse('4x0e + 0x1o + 2x3e').removeZeroMultiplicities().toString()).toBe('4x0e+2x3e');
  });

  it("sort reproduces e3nn's doc examples", () => {
    expect(Irreps.parse('1e + 0e + 1e').sort().irreps.toString()).toBe('1x0e+1x1e+1x1e');
    expect(Irreps.parse('2o + 1e + 0e + 1e').sort().p).toEqual([3, 1, 0, 2]);
    expect(Irreps.parse('2o + 1e + 0e + 1e').sort().inv).toEqual([2, 1, 3, 0]);
  });

  it('counts, contains, lmax and the harmonics irreps', () => {
    const x = Irreps.parse('2x0e + 3x1o + 1x0e + 0x4e');
    expect(x.count(Irrep.parse('0e'))).toBe(3);
    expect(x.count(Irrep.parse('1o'))).toBe(3);
    expect(x.count(Irrep.parse('1e'))).toBe(0);
    expect(x.contains('4e')).toBe(true);
    expect(x.contains('2e')).toBe(false);
    expect(x.lmax).toBe(1);
    expect(() => new Irreps().lmax).toThrow('Cannot get lmax of empty Irreps');
    expect(Irreps.sphericalHarmonics(3).toString()).toBe(algebra.spherical_harmonics_irreps_lmax3);
    expect(Irreps.sphericalHarmonics(4, 1).toString()).toBe('1x0e+1x1e+1x2e+1x3e+1x4e');
  });

  it('is a Rep with multiplicity-major layout', () => {
    const x = Irreps.parse('2x0e+1x1o');
    expect(x).toBeInstanceOf(Rep);
    expect(x.slices()).toEqual([
      [0, 2],
      [2, 5],
    ]);
    expect(x.sameLayout(Irreps.parse('1x0e+1x0e+1x1o'))).toBe(true);
    expect(x.isomorphic(Irreps.parse('1x1o+2x0e'))).toBe(true);
  });

  it('sort is a stable permutation with p = inverse(inv), for any irreps', () => {
    const block = fc.record({ mul: fc.integer({ min: 0, max: 4 }), l: fc.integer({ min: 0, max: 5 }), p: fc.constantFrom(1, -1) });
    fc.assert(
      fc.property(fc.array(block, { maxLength: 10 }), (bs) => {
        const x = new Irreps(bs.map((b) => ({ mul: b.mul, ir: new Irrep(b.l, b.p) })));
        const { irreps, p, inv } = x.sort();
        inv.forEach((orig, pos) => expect(p[orig]).toBe(pos));
        irreps.blocks.forEach((b, pos) => expect(b).toEqual(x.blocks[inv[pos]!]));
        for (let i = 1; i < irreps.length; i++) {
          const c = Irrep.compare(irreps.blocks[i - 1]!.ir, irreps.blocks[i]!.ir);
          expect(c < 0 || (c === 0 && inv[i - 1]! < inv[i]!)).toBe(true);
        }
        const regrouped = x.regroup();
        expect(regrouped.isomorphic(x)).toBe(true);
        expect(new Set(regrouped.blocks.map((b) => b.ir.key)).size).toBe(regrouped.length);
      }),
    );
  });
});

describe('Irreps.tensor (FullTensorProduct)', () => {
  it('gives the sorted output and the remapped instructions', () => {
    const { irreps, instructions, in1, in2 } = Irreps.parse('2x0e + 1x1o').tensor('3x1o + 1x0e');
    // In order: 0e x 1o -> 6x1o, 0e x 0e -> 2x0e, 1o x 1o -> 3x0e+3x1e+3x2e, 1o x 0e -> 1x1o; then sorted.
    expect(irreps.toString()).toBe('2x0e+3x0e+6x1o+1x1o+3x1e+3x2e');
    expect(instructions).toEqual([
      { i1: 0, i2: 0, iOut: 2 },
      { i1: 0, i2: 1, iOut: 0 },
      { i1: 1, i2: 0, iOut: 1 },
      { i1: 1, i2: 0, iOut: 4 },
      { i1: 1, i2: 0, iOut: 5 },
      { i1: 1, i2: 1, iOut: 3 },
    ]);
    expect(in1.toString()).toBe('2x0e+1x1o');
    expect(in2.toString()).toBe('3x1o+1x0e');
  });

  it('simplifies its inputs first and honours a filter', () => {
    const full = Irreps.parse('1o + 1o').tensor('1o');
    expect(full.in1.toString()).toBe('2x1o');
    expect(full.irreps.toString()).toBe('2x0e+2x1e+2x2e');
    const filtered = Irreps.parse('1o').tensor('1o', ['1e']);
    expect(filtered.irreps.toString()).toBe('1x1e');
    expect(filtered.instructions).toEqual([{ i1: 0, i2: 0, iOut: 0 }]);
  });

  it('has dimension dim1 * dim2', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, -1)), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, -1)), { minLength: 1, maxLength: 4 }), (a, b) => {
        const x = Irreps.from(a.map(([mul, l, p]) => [mul, [l, p]] as const));
        const y = Irreps.from(b.map(([mul, l, p]) => [mul, [l, p]] as const));
        const t = x.tensor(y);
        expect(t.irreps.dim).toBe(x.dim * y.dim);
        for (const ins of t.instructions) {
          const out = t.irreps.blocks[ins.iOut]!;
          const b1 = t.in1.blocks[ins.i1]!;
          const b2 = t.in2.blocks[ins.i2]!;
          expect(out.mul).toBe(b1.mul * b2.mul);
          expect(b1.ir.times(b2.ir).some((ir) => ir.equals(out.ir))).toBe(true);
        }
        expect(new Set(t.instructions.map((i) => i.iOut)).size).toBe(t.irreps.length);
      }),
    );
  });
});
