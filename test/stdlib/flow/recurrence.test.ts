// The flow-equivariant recurrence on the float64 reference, exactly: moving the input sequence
// with a velocity w in the declared set (frame t shifted by w t + s on the torus) moves every
// hidden state with it and permutes the velocity axis, h'_t(v) = shift_{w t + s} h_t(v - w);
// a plain convolutional RNN (the same layer without the shift by v) is not flow-equivariant;
// circular convolutions commute with the moves frame by frame.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { evaluateAll } from '../../../targets/ref/evaluate.js';
import { batchFromGraphs } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { moveFrames, velocityIndex, velocitySet, type Velocity } from '../../../stdlib/groups/flow/velocities.js';
import { createRng } from '../../../stdlib/math/random.js';

const SIZE = 5;
const HIDDEN = 3;
const MODEL = `model M : Flow(T2, size = ${SIZE}) {
  in  frames: grid2d[2]
  out h: grid2d[${HIDDEN}xV]
  out c: grid2d[2]
  h = flow_rnn(frames, hidden = ${HIDDEN}, kernel = 3, act = tanh)
  c = conv2d(frames, out = 2, kernel = 3, bias = true, act = silu)
}
`;

function compiled(): IRModule {
  const out = compileSource(MODEL, 'flow.eqv');
  expect(out.diagnostics).toEqual([]);
  return out.ir[0]!;
}

/** Two sequences of 4 and 3 frames, N(0, 1). */
function sequences(seed: number): number[][][] {
  const rng = createRng(seed);
  return [4, 3].map((t) => Array.from({ length: t * SIZE * SIZE }, () => [rng.normal(), rng.normal()]));
}

function run(module: IRModule, seqs: number[][][], params = initialParams(module, 3)) {
  const batch = batchFromGraphs(module, seqs.map((frames) => ({ frames })));
  const values = evaluateAll(module, batch, params);
  const get = (name: string) => {
    const v = values.get(module.outputs.find((o) => o.name === name)!.value)!;
    if (v.kind !== 'rows') throw new Error('not rows');
    return v.data;
  };
  return { h: get('h'), c: get('c') };
}

function move(seq: number[][], w: Velocity, s: Velocity): number[][] {
  const flat = Float64Array.from(seq.flat());
  const moved = moveFrames(flat, SIZE, 2, (f) => f, w, s);
  return seq.map((_, i) => [moved[2 * i]!, moved[2 * i + 1]!]);
}

/** h'_t(v) = shift_{w t + s} h_t(v - w), per sequence of the batch. */
function expectedHidden(h: Float64Array, lengths: readonly number[], w: Velocity, s: Velocity): Float64Array {
  const velocities = velocitySet(SIZE);
  const nv = velocities.length;
  const dim = HIDDEN * nv;
  const permuted = new Float64Array(h.length);
  for (let r = 0; r < h.length / dim; r++) {
    for (let c = 0; c < HIDDEN; c++) {
      velocities.forEach((v, i) => {
        const j = velocityIndex(velocities, [v[0] - w[0], v[1] - w[1]], SIZE);
        permuted[r * dim + c * nv + i] = h[r * dim + c * nv + j]!;
      });
    }
  }
  const out = new Float64Array(h.length);
  let offset = 0;
  for (const t of lengths) {
    const n = t * SIZE * SIZE * dim;
    out.set(moveFrames(permuted.subarray(offset, offset + n), SIZE, dim, (f) => f, w, s), offset);
    offset += n;
  }
  return out;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('flow_rnn on the reference evaluator', () => {
  const module = compiled();
  const cases: [Velocity, Velocity][] = [
    [[1, 0], [0, 0]],
    [[-2, 1], [3, 4]],
    [[2, 2], [1, 0]],
    [[0, 0], [2, 3]],
  ];

  it.each(cases)('moving the input with velocity %j (shift %j) moves the hidden states and permutes the velocity axis', (w, s) => {
    const seqs = sequences(11);
    const before = run(module, seqs);
    const after = run(module, seqs.map((q) => move(q, w, s)));
    const expected = expectedHidden(before.h, [4, 3], w, s);
    let scale = 0;
    for (const v of before.h) scale = Math.max(scale, Math.abs(v));
    expect(scale).toBeGreaterThan(0.1);
    expect(maxDiff(after.h, expected)).toBeLessThan(1e-12);
  });

  it('is not flow-equivariant without the shift by each channel velocity (a plain conv RNN)', () => {
    const plain: IRModule = { ...module, nodes: module.nodes.map((n) => (n.op === 'flow_rnn' ? { ...n, attrs: { ...n.attrs, velocities: n.attrs.velocities.map(() => [0, 0] as const) } } : n)) };
    const seqs = sequences(12);
    const params = initialParams(module, 3);
    const w: Velocity = [1, 0];
    const before = run(plain, seqs, params);
    const after = run(plain, seqs.map((q) => move(q, w, [0, 0])), params);
    expect(maxDiff(after.h, expectedHidden(before.h, [4, 3], w, [0, 0]))).toBeGreaterThan(0.05);
  });

  it('circular conv2d commutes with moving frames', () => {
    const seqs = sequences(13);
    const w: Velocity = [-1, 2];
    const s: Velocity = [4, 1];
    const before = run(module, seqs);
    const after = run(module, seqs.map((q) => move(q, w, s)));
    const expected = new Float64Array(before.c.length);
    let offset = 0;
    for (const t of [4, 3]) {
      const n = t * SIZE * SIZE * 2;
      expected.set(moveFrames(before.c.subarray(offset, offset + n), SIZE, 2, (f) => f, w, s), offset);
      offset += n;
    }
    expect(maxDiff(after.c, expected)).toBeLessThan(1e-12);
  });
});
