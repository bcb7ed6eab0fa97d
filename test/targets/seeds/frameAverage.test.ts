// Frame averaging (`frame_average`): the PCA frames, exact invariance and equivariance of the
// averaged MLP (to float64 rounding) on non-degenerate clouds, the SE(3) variant's 4 frames,
// the runtime error on degenerate frames (the checker's rules: test/compiler/diagnostics/seeds.test.ts).

import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { frameSigns, pcaFrames, symmetricEigen3 } from '../../../stdlib/nn/frames.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { randomRotation } from '../../../stdlib/groups/o3/rotations.js';

function batchOf(counts: number[], pos: Float64Array, species: Float64Array): RuntimeBatch {
  const graphPtr = new Int32Array(counts.length + 1);
  counts.forEach((c, g) => (graphPtr[g + 1] = graphPtr[g]! + c));
  const numNodes = graphPtr[counts.length]!;
  const nodeGraph = new Int32Array(numNodes);
  counts.forEach((_, g) => nodeGraph.fill(g, graphPtr[g]!, graphPtr[g + 1]!));
  return { numGraphs: counts.length, numNodes, graphPtr, nodeGraph, values: new Map([['pos', pos], ['species', species]]), wrapped: true };
}

/** p -> R p + t per point; R row-major. */
function move(pos: Float64Array, R: ArrayLike<number>, t: readonly number[]): Float64Array {
  const out = new Float64Array(pos.length);
  for (let i = 0; i < pos.length / 3; i++) for (let a = 0; a < 3; a++) out[3 * i + a] = R[3 * a]! * pos[3 * i]! + R[3 * a + 1]! * pos[3 * i + 1]! + R[3 * a + 2]! * pos[3 * i + 2]! + t[a]!;
  return out;
}

const maxAbs = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('PCA frames', () => {
  it('symmetricEigen3: C v = λ v, orthonormal, eigenvalues descending', () => {
    const rng = createRng(1);
    for (let trial = 0; trial < 20; trial++) {
      const a = Array.from({ length: 9 }, () => rng.normal());
      const c = [a[0]!, a[1]!, a[2]!, a[1]!, a[4]!, a[5]!, a[2]!, a[5]!, a[8]!];
      const { values, vectors } = symmetricEigen3(c);
      expect(values[0]!).toBeGreaterThanOrEqual(values[1]!);
      expect(values[1]!).toBeGreaterThanOrEqual(values[2]!);
      for (let j = 0; j < 3; j++) {
        for (let r = 0; r < 3; r++) {
          let cv = 0;
          for (let k = 0; k < 3; k++) cv += c[3 * r + k]! * vectors[3 * k + j]!;
          expect(Math.abs(cv - values[j]! * vectors[3 * r + j]!)).toBeLessThan(1e-12);
        }
        for (let i = 0; i < 3; i++) {
          let dot = 0;
          for (let k = 0; k < 3; k++) dot += vectors[3 * k + i]! * vectors[3 * k + j]!;
          expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('8 sign choices, or the 4 whose product is the given sign', () => {
    expect(frameSigns(8).length).toBe(8);
    expect(frameSigns(4, 1).every(([a, b, c]) => a * b * c === 1)).toBe(true);
    expect(frameSigns(4, -1).every(([a, b, c]) => a * b * c === -1)).toBe(true);
  });

  it("a cloud symmetric about an axis, or of two points, is a degenerate frame; a single point is not", () => {
    const square = Float64Array.of(1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0);
    expect(() => pcaFrames(square, Int32Array.of(0, 4), 8, 1e-4)).toThrow(/graph 0 \(4 points\) has no unique PCA frame/);
    expect(() => pcaFrames(Float64Array.of(0, 0, 0, 1, 2, 3), Int32Array.of(0, 2), 8, 1e-4)).toThrow(/no unique PCA frame/);
    // One point: framed coordinates are 0 in every frame, so the identity's frames are as good as any.
    expect(Array.from(pcaFrames(Float64Array.of(0.3, -1, 2), Int32Array.of(0, 1), 8, 1e-4).frames.subarray(0, 9))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

const model = compile('examples/frame_averaged.eqv').ir[0]!;

function randomCloud(seed: number, counts: number[]): RuntimeBatch {
  const rng = createRng(seed);
  const n = counts.reduce((s, c) => s + c, 0);
  // Anisotropic clouds (scales 2, 1, 0.5), so the principal axes are well separated.
  const pos = Float64Array.from({ length: 3 * n }, (_, k) => rng.normal() * [2, 1, 0.5][k % 3]!);
  const species = Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === (Math.floor(k / 2) % 3 === 0 ? 0 : 1) ? 1 : 0));
  return batchOf(counts, pos, species);
}

function run(module: IRModule, batch: RuntimeBatch, pos?: Float64Array) {
  const values = new Map(batch.values);
  if (pos) values.set('pos', pos);
  return evaluate(module, { ...batch, values }, initialParams(module, 4));
}

describe('frame_average in E(3): exact invariance and equivariance', () => {
  const batch = randomCloud(2, [6, 9]);
  const base = run(model, batch);

  it('energies are invariant and dipoles rotate under rotations, reflections and translations', () => {
    const rng = createRng(3);
    for (const improper of [false, true]) {
      const R = Array.from(randomRotation(rng) as ArrayLike<number>, (v) => (improper ? -v : v));
      const moved = run(model, batch, move(batch.values.get('pos')!, R, [0.7, -1.2, 2.5]));
      expect(maxDiff(moved.get('energy')!, base.get('energy')!)).toBeLessThan(1e-12 * (1 + maxAbs(base.get('energy')!)));
      const rotated = move(base.get('dipoles')!, R, [0, 0, 0]);
      expect(maxDiff(moved.get('dipoles')!, rotated)).toBeLessThan(1e-12 * (1 + maxAbs(rotated)));
    }
    expect(maxAbs(base.get('dipoles')!)).toBeGreaterThan(1e-3);
  });

  it('permuting the atoms of a molecule permutes its outputs', () => {
    const perm = [3, 0, 5, 1, 4, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    const pos = batch.values.get('pos')!;
    const sp = batch.values.get('species')!;
    const p2 = Float64Array.from({ length: pos.length }, (_, k) => pos[3 * perm[Math.floor(k / 3)]! + (k % 3)]!);
    const s2 = Float64Array.from({ length: sp.length }, (_, k) => sp[2 * perm[Math.floor(k / 2)]! + (k % 2)]!);
    const out = run(model, batchOf([6, 9], p2, s2));
    const d = base.get('dipoles')!;
    const want = Float64Array.from({ length: d.length }, (_, k) => d[3 * perm[Math.floor(k / 3)]! + (k % 3)]!);
    expect(maxDiff(out.get('dipoles')!, want)).toBeLessThan(1e-12);
    expect(maxDiff(out.get('energy')!, base.get('energy')!)).toBeLessThan(1e-12);
  });

  it('a single atom: its scalars are invariant and its vectors vanish (the sign average of F v)', () => {
    const one = batchOf([1], Float64Array.of(0.3, -1, 2), Float64Array.of(1, 0));
    const a = run(model, one);
    const b = run(model, one, Float64Array.of(-5, 4, 1));
    expect(maxAbs(a.get('dipoles')!)).toBeLessThan(1e-15);
    expect(maxDiff(a.get('energy')!, b.get('energy')!)).toBe(0);
  });

  it('a degenerate molecule is a runtime error naming the op and the graph', () => {
    const square = batchOf([4], Float64Array.of(1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0), new Float64Array(8).fill(0.5));
    expect(() => run(model, square)).toThrow(/frame_average.*graph 0 \(4 points\) has no unique PCA frame/);
  });
});

describe('frame_average in SE(3): 4 frames with det +1', () => {
  const source = `model Chiral : SE(3) {
  in pos: node[pos]
  in species: node[2x0]
  out e: graph[1x0]
  let h = frame_average(pos, species, out = 4x0 + 1x1, hidden = [16])
  e = pool(linear(select(h, 4x0), 1x0))
}
`;
  const result = compileSource(source);
  const module = result.ir[0]!;
  const batch = randomCloud(5, [7]);
  const base = run(module, batch).get('e')!;

  it('averages over 4 frames and is invariant under rotations and translations', () => {
    expect(result.diagnostics).toEqual([]);
    const node = module.nodes.find((n) => n.op === 'frame_average')!;
    expect(node.op === 'frame_average' && node.attrs.frames).toBe(4);
    const R = randomRotation(createRng(6));
    const moved = run(module, batch, move(batch.values.get('pos')!, R as ArrayLike<number>, [1, 2, 3])).get('e')!;
    expect(maxDiff(moved, base)).toBeLessThan(1e-12 * (1 + maxAbs(base)));
  });

  it('is not invariant under a reflection (it may tell mirror images apart)', () => {
    const mirrored = run(module, batch, move(batch.values.get('pos')!, [-1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0])).get('e')!;
    expect(maxDiff(mirrored, base)).toBeGreaterThan(1e-6);
  });
});
