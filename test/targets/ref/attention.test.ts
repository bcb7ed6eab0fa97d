// Graph attention in the reference (targets/ref/ops/attention.ts) against a direct computation
// of the softmax per receiver, with edges in any order; receivers without edges give zeros;
// logits of size 1e4 give no overflow; the VJP agrees with central finite differences.

import { describe, expect, it } from 'vitest';
import type { AttentionAttrs } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { attention, attentionBackward } from '../../../targets/ref/ops/attention.js';

// Values 2x0e + 2x1o (dim 8) with 2 heads: head 0 owns copy 0 of each block, head 1 copy 1.
const ATTRS: AttentionAttrs = { heads: 2, blocks: [{ offset: 0, mul: 2, dim: 1 }, { offset: 2, mul: 2, dim: 3 }] };
const HEAD = [0, 1, 0, 0, 0, 1, 1, 1];
const DIM = 8;
// 4 nodes; node 3 receives nothing; edges out of order.
const GRAPH = { src: Int32Array.from([1, 0, 2, 2, 0, 1]), dst: Int32Array.from([0, 1, 0, 1, 2, 0]) };

function direct(logits: Float64Array, values: Float64Array): Float64Array {
  const out = new Float64Array(4 * DIM);
  for (let n = 0; n < 4; n++) {
    const edges = [...GRAPH.dst.keys()].filter((e) => GRAPH.dst[e] === n);
    for (let c = 0; c < DIM; c++) {
      const h = HEAD[c]!;
      const z = edges.reduce((s, e) => s + Math.exp(logits[e * 2 + h]!), 0);
      out[n * DIM + c] = edges.reduce((s, e) => s + (Math.exp(logits[e * 2 + h]!) / z) * values[e * DIM + c]!, 0);
    }
  }
  return out;
}

const rng = createRng(3);
const LOGITS = Float64Array.from({ length: 12 }, () => rng.normal());
const VALUES = Float64Array.from({ length: 6 * DIM }, () => rng.normal());

describe('attention (ref)', () => {
  it('is the softmax per receiver and head of a direct computation, with zeros for a node without edges', () => {
    const got = attention(ATTRS, LOGITS, VALUES, DIM, GRAPH, 4);
    const want = direct(LOGITS, VALUES);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 12);
    expect(Array.from(got.subarray(3 * DIM))).toEqual(new Array(DIM).fill(0));
  });

  it('weights sum to one: equal values pass through unchanged', () => {
    const same = Float64Array.from({ length: 6 * DIM }, (_, i) => (i % DIM) + 1);
    const got = attention(ATTRS, LOGITS, same, DIM, GRAPH, 4);
    for (let c = 0; c < DIM; c++) expect(got[c]).toBeCloseTo(c + 1, 12);
  });

  it('subtracts the receiver maximum: logits of 1e4 give finite results equal to the shifted ones', () => {
    const big = LOGITS.map((v) => v + 1e4);
    const got = attention(ATTRS, big, VALUES, DIM, GRAPH, 4);
    expect(got.every(Number.isFinite)).toBe(true);
    const base = attention(ATTRS, LOGITS, VALUES, DIM, GRAPH, 4);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(base[i]!, 8);
  });

  it('its VJP agrees with central finite differences in logits and values', () => {
    const seed = Float64Array.from({ length: 4 * DIM }, () => rng.normal());
    const f = (l: Float64Array, v: Float64Array) => attention(ATTRS, l, v, DIM, GRAPH, 4).reduce((s, y, i) => s + y * seed[i]!, 0);
    const g = attentionBackward(ATTRS, LOGITS, VALUES, DIM, GRAPH, 4, seed);
    const H = 1e-6;
    LOGITS.forEach((_, k) => {
      const p = Float64Array.from(LOGITS);
      const m = Float64Array.from(LOGITS);
      p[k]! += H;
      m[k]! -= H;
      expect(g.logits[k]).toBeCloseTo((f(p, VALUES) - f(m, VALUES)) / (2 * H), 7);
    });
    VALUES.forEach((_, k) => {
      const p = Float64Array.from(VALUES);
      const m = Float64Array.from(VALUES);
      p[k]! += H;
      m[k]! -= H;
      expect(g.values[k]).toBeCloseTo((f(LOGITS, p) - f(LOGITS, m)) / (2 * H), 7);
    });
  });
});
