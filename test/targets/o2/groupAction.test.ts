// How elements of the 2D groups act on a model's inputs in the generated tests: points move by
// R p + t with a 2x2 R, reflections are recognised as improper (the parity mutant needs it),
// and an E(2) feature layout gets the block-diagonal matrix of its irreps.
import { describe, expect, it } from 'vitest';
import type { IRRep } from '../../../ir/types.js';
import { E2, SE2 } from '../../../stdlib/groups/o2/index.js';
import { createRng } from '../../../stdlib/math/random.js';
import { irRepMatrix, transformPoints } from '../../../targets/suite/groupAction.js';

describe('the 2D group action in the generated tests', () => {
  it('moves 2D points by R p + t', () => {
    const g = { group: 'E(2)', rotation: [0, -1, 1, 0], translation: [1, 2] };
    expect(Array.from(transformPoints(g, Float64Array.of(1, 0, 0, 3), 2))).toEqual([1, 3, -2, 2]);
  });

  it('the plugin recognises reflections as improper from a 2x2 matrix; SE(2) has none', () => {
    const rng = createRng(2);
    expect(E2.orientation!(E2.sample(rng, 1))).toBe(-1);
    expect(E2.orientation!(E2.sample(rng, 0))).toBe(1);
    expect(SE2.orientation).toBeUndefined();
  });

  it('reads a block with the opposite parity by the orientation (the parity mutant)', () => {
    const rep: IRRep = { text: '1x0e+1x1', dim: 3, blocks: [{ mul: 1, ir: '0e', dim: 1, offset: 0 }, { mul: 1, ir: '1', dim: 2, offset: 1 }] };
    const R = [0.6, 0.8, 0.8, -0.6]; // a reflection (det -1)
    expect(irRepMatrix(E2, rep, { group: 'E(2)', rotation: R }, 0)[0]).toBe(-1);
    expect(irRepMatrix(E2, rep, { group: 'E(2)', rotation: [0, -1, 1, 0] }, 0)[0]).toBe(1);
  });

  it('builds the block-diagonal matrix of an E(2) layout: 0o by the determinant, 1 by R itself', () => {
    const rep: IRRep = {
      text: '1x0o+2x1',
      dim: 5,
      blocks: [
        { mul: 1, ir: '0o', dim: 1, offset: 0 },
        { mul: 2, ir: '1', dim: 2, offset: 1 },
      ],
    };
    const R = [0.6, 0.8, 0.8, -0.6]; // a reflection (det -1)
    const m = irRepMatrix(E2, rep, { group: 'E(2)', rotation: R });
    expect(m[0]).toBeCloseTo(-1, 14);
    for (const o of [1, 3]) {
      expect([m[o * 5 + o], m[o * 5 + o + 1], m[(o + 1) * 5 + o], m[(o + 1) * 5 + o + 1]].map((v) => Number(v!.toFixed(12)))).toEqual(R);
    }
    expect(m[1 * 5 + 3]).toBe(0);
  });
});
