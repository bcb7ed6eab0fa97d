// The shift algebra of flows on a torus: velocity sets, their closure, the permutation of the
// velocity axis, and moving frames (a group action: moving twice is moving by the sum).
import { describe, expect, it } from 'vitest';
import { centredResidues, isClosed, moveFrames, velocityIndex, velocitySet, velocityShiftPermutation, type Velocity } from '../../../stdlib/groups/flow/velocities.js';
import { createRng } from '../../../stdlib/math/random.js';

describe('velocity sets', () => {
  it('are the centred residues, vy-major', () => {
    expect(centredResidues(5)).toEqual([-2, -1, 0, 1, 2]);
    expect(centredResidues(6)).toEqual([-2, -1, 0, 1, 2, 3]);
    const v = velocitySet(3);
    expect(v).toEqual([[-1, -1], [0, -1], [1, -1], [-1, 0], [0, 0], [1, 0], [-1, 1], [0, 1], [1, 1]]);
    expect(velocitySet(8, 0)).toEqual([[0, 0]]);
    // vmax = 2 on a 5-torus is every velocity; on a 4-torus -2 and 2 are the same residue.
    expect(velocitySet(5, 2)).toEqual(velocitySet(5));
    expect(velocitySet(4, 2).length).toBe(16);
  });

  it('are closed under addition exactly when they are a subgroup of Z_N^2', () => {
    expect(isClosed(velocitySet(6), 6)).toBe(true);
    expect(isClosed(velocitySet(7, 0), 7)).toBe(true);
    expect(isClosed(velocitySet(8, 1), 8)).toBe(false);
    expect(isClosed(velocitySet(3, 1), 3)).toBe(true);
  });

  it('index velocities modulo the grid', () => {
    const v = velocitySet(5);
    expect(velocityIndex(v, [3, 0], 5)).toBe(velocityIndex(v, [-2, 0], 5));
    expect(velocityIndex(velocitySet(8, 0), [1, 0], 8)).toBe(-1);
  });

  it('permute the velocity axis as a group action: w1 then w2 is w1 + w2', () => {
    const size = 4;
    const v = velocitySet(size);
    const w1: Velocity = [1, -1];
    const w2: Velocity = [2, 1];
    const p1 = velocityShiftPermutation(v, w1, size);
    const p2 = velocityShiftPermutation(v, w2, size);
    const p12 = velocityShiftPermutation(v, [3, 0], size);
    // new1[i] = old[p1[i]]; new2[i] = new1[p2[i]] = old[p1[p2[i]]].
    expect(Array.from(p2, (j) => p1[j])).toEqual(Array.from(p12));
    expect(Array.from(velocityShiftPermutation(v, [0, 0], size))).toEqual(v.map((_, i) => i));
  });
});

describe('moving frames', () => {
  it('moves frame t by v t + s, and composes additively', () => {
    const size = 5;
    const frames = 3;
    const dim = 2;
    const rng = createRng(7);
    const data = Float64Array.from({ length: frames * size * size * dim }, () => rng.normal());
    const moved = moveFrames(data, size, dim, (f) => f, [1, 2], [3, 0]);
    // out[t, y, x] = in[t, y - 2t - 0, x - t - 3].
    const at = (a: Float64Array, t: number, y: number, x: number, c: number) => a[((t * size + ((y % size) + size) % size) * size + ((x % size) + size) % size) * dim + c]!;
    for (let t = 0; t < frames; t++) for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) expect(at(moved, t, y, x, 1)).toBe(at(data, t, y - 2 * t, x - t - 3, 1));
    const twice = moveFrames(moveFrames(data, size, dim, (f) => f, [1, 2], [3, 0]), size, dim, (f) => f, [-2, 4], [1, 1]);
    expect(Array.from(twice)).toEqual(Array.from(moveFrames(data, size, dim, (f) => f, [-1, 6], [4, 1])));
  });
});
