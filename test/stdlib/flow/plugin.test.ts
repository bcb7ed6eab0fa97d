// The Flow group plugin: looked up from the factors an IR module records, the notation of plain and lifted
// channels, the equivariant maps between them, and the action of a sampled element on the
// velocity axis (a permutation matrix: the channel at velocity v goes to v + w).
import { describe, expect, it } from 'vitest';
import { groupOf } from '../../../stdlib/groups/registry.js';

/** The flow group as an IR module records it: `Flow(T2, size = N [, vmax = k])`. */
const flow = (size: number, vmax?: number) => groupOf({ factors: [{ family: 'Flow', args: [], symbols: ['T2'], named: { size, ...(vmax !== undefined ? { vmax } : {}) } }] });
import { Rep } from '../../../stdlib/groups/rep.js';
import { createRng } from '../../../stdlib/math/random.js';
import { velocityIndex, type Velocity } from '../../../stdlib/groups/flow/velocities.js';

describe('Flow(T2, size = N)', () => {
  it('looks up from its factors, with vmax, and prints its name', () => {
    const g = flow(5)!;
    expect(g.name).toBe('Flow(T2, size = 5)');
    expect(g.flow!.size).toBe(5);
    expect(g.flow!.velocities.length).toBe(25);
    expect(flow(5, 2)!.flow!.velocities.length).toBe(25);
    expect(flow(7, 0)!.flow!.velocities).toEqual([[0, 0]]);
    expect(flow(8, 1)).toBeUndefined();
  });

  it('writes plain channels as a count and lifted ones as kxV', () => {
    const g = flow(3)!;
    const V = g.notation.atomFromText('V')!;
    expect(V.dim).toBe(9);
    expect(g.notation.format(new Rep([{ mul: 4, ir: g.scalar }, { mul: 2, ir: V }]))).toBe('4+2xV');
    expect(g.scalarKind(V)).toBeUndefined();
    expect(g.scalarKind(g.scalar)).toBe('even');
  });

  it('has the identity, the lift and the velocity sum as equivariant maps', () => {
    const g = flow(2)!;
    const V = g.notation.atomFromText('V')!;
    expect(g.equivariantMaps(V, V).map((t) => Array.from(t.data))).toEqual([[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]]);
    expect(g.equivariantMaps(g.scalar, V).map((t) => [t.shape, Array.from(t.data)])).toEqual([[[4, 1], [1, 1, 1, 1]]]);
    expect(g.equivariantMaps(V, g.scalar).map((t) => [t.shape, Array.from(t.data)])).toEqual([[[1, 4], [0.5, 0.5, 0.5, 0.5]]]);
  });

  it('samples a declared velocity and a shift, and permutes the velocity axis by it', () => {
    const g = flow(4)!;
    const V = g.notation.atomFromText('V')!;
    const velocities = g.flow!.velocities;
    const rng = createRng(3);
    for (let k = 0; k < 5; k++) {
      const e = g.sample(rng);
      const w = e.velocity as Velocity;
      expect(velocityIndex(velocities, w, 4)).toBeGreaterThanOrEqual(0);
      expect((e.shift as number[]).every((s) => Number.isInteger(s) && s >= 0 && s < 4)).toBe(true);
      const m = g.atomMatrix(V, e);
      // (M x)[i] = x[index of v_i - w]: one 1 per row, at that column.
      velocities.forEach((v, i) => {
        const j = velocityIndex(velocities, [v[0] - w[0], v[1] - w[1]], 4);
        expect(Array.from(m.subarray(i * 16, (i + 1) * 16))).toEqual(Array.from({ length: 16 }, (_, c) => (c === j ? 1 : 0)));
      });
    }
  });
});
