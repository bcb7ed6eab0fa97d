// sphere_act (e3nn S2Activation): the float64 kernel against a direct computation of the same
// projection by an independent quadrature (a fine midpoint rule in theta and phi), its measured
// equivariance error at the default resolution, and tfjs against the kernel in float32.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRNode } from '../../../ir/types.js';
import { Irrep } from '../../../stdlib/groups/o3/irreps.js';
import { irrepD, randomRotation } from '../../../stdlib/groups/o3/rotations.js';
import { sphericalHarmonicsInto } from '../../../stdlib/groups/o3/sphericalHarmonics.js';
import { createRng } from '../../../stdlib/math/random.js';
import { applyScaled } from '../../../stdlib/nn/activations.js';
import { sphereActivationBackward, sphereActivationKernel } from '../../../targets/ref/ops/sphereActivation.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { sphereActivation } from '../../../targets/tfjs/ops/index.js';

type Node = Extract<IRNode, { op: 'sphere_activation' }>;

function nodeOf(x: string, out: string, call: string): Node {
  const src = `model M : O(3) {\n  in x: node[${x}]\n  out y: node[${out}]\n  y = ${call}\n}\n`;
  const r = compileSource(src, 'input.eqv');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const node = r.ir[0]!.nodes.find((n) => n.op === 'sphere_activation');
  if (!node || node.op !== 'sphere_activation') throw new Error('no sphere_activation');
  return node;
}

/** A two-layer grid MLP, written out: W2^T act(W1^T f / sqrt(k)) / sqrt(h). */
function mlpAt(node: Node, weights: readonly Float64Array[], f: readonly number[]): number[] {
  const [k, h, o] = node.attrs.mlp!.sizes as [number, number, number];
  const act = applyScaled(node.attrs.mlp!.act);
  const hid = Array.from({ length: h }, (_, j) => act(f.reduce((s, v, i) => s + v * weights[0]![i * h + j]!, 0) / Math.sqrt(k)));
  return Array.from({ length: o }, (_, j) => hid.reduce((s, v, i) => s + v * weights[1]![i * o + j]!, 0) / Math.sqrt(h));
}

/** y_lm = mean over the sphere of act(Σ x Y) Y_lm, by a midpoint rule on nT x 2nT cells (sin theta weights). */
function direct(node: Node, x: Float64Array, weights: readonly Float64Array[] = []): Float64Array {
  const { mul, mulOut, lmaxIn, lmaxOut, offsetsIn, offsetsOut } = node.attrs;
  const f = applyScaled(node.attrs.act);
  const nT = 400;
  const nP = 800;
  const lmax = Math.max(lmaxIn, lmaxOut);
  const size = (lmax + 1) ** 2;
  const pts = new Float64Array(nT * nP * 3);
  const w = new Float64Array(nT * nP);
  for (let i = 0; i < nT; i++) {
    const th = (Math.PI * (i + 0.5)) / nT;
    for (let j = 0; j < nP; j++) {
      const ph = (2 * Math.PI * (j + 0.5)) / nP;
      const g = i * nP + j;
      pts.set([Math.sin(th) * Math.cos(ph), Math.sin(th) * Math.sin(ph), Math.cos(th)], 3 * g);
      w[g] = (Math.sin(th) * (Math.PI / nT) * ((2 * Math.PI) / nP)) / (4 * Math.PI);
    }
  }
  const Y = sphericalHarmonicsInto(lmax, pts, undefined, false, 'component');
  const out = new Float64Array(mulOut * (lmaxOut + 1) ** 2);
  for (let g = 0; g < nT * nP; g++) {
    const fs = Array.from({ length: mul }, (_, u) => {
      let s = 0;
      for (let l = 0; l <= lmaxIn; l++) for (let m = 0; m < 2 * l + 1; m++) s += x[offsetsIn[l]! + u * (2 * l + 1) + m]! * Y[g * size + l * l + m]!;
      return s;
    });
    const hs = node.attrs.mlp ? mlpAt(node, weights, fs) : fs.map(f);
    for (let u = 0; u < mulOut; u++) {
      const h = w[g]! * hs[u]!;
      for (let l = 0; l <= lmaxOut; l++) for (let m = 0; m < 2 * l + 1; m++) out[offsetsOut[l]! + u * (2 * l + 1) + m] += h * Y[g * size + l * l + m]!;
    }
  }
  return out;
}

function rotate(ls: readonly number[], mul: number, R: Float64Array, x: Float64Array, pVal = 1, pArg = -1): Float64Array {
  const y = new Float64Array(x.length);
  let o = 0;
  for (const l of ls) {
    const d = 2 * l + 1;
    const D = irrepD(new Irrep(l, pVal * pArg ** l), R);
    for (let u = 0; u < mul; u++, o += d) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) y[o + i] += D[i * d + j]! * x[o + j]!;
  }
  return y;
}

const maxAbs = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('sphere_act in float64', () => {
  it('matches a direct computation by an independent quadrature (L = 2, silu, 2 copies)', () => {
    const node = nodeOf('2x0e + 2x1o + 2x2e', '2x0e + 2x1o + 2x2e', 'sphere_act(x, act = silu)');
    const rng = createRng(3);
    const x = Float64Array.from({ length: 18 }, () => rng.normal());
    const got = sphereActivationKernel(node.attrs, 18, x, 1);
    // The midpoint rule is accurate to ~1e-6 at 400 x 800; the default grid's aliasing is below that.
    expect(maxAbs(got, direct(node, x))).toBeLessThan(1e-5);
    expect(Math.max(...got.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('sphere_mlp (2 copies -> 5 hidden -> 3 copies) matches the direct computation with the MLP written out', () => {
    const node = nodeOf('2x0e + 2x1o', '3x0e + 3x1o', 'sphere_mlp(x, hidden = [5], out = 3)');
    expect(node.attrs.mlp!.sizes).toEqual([2, 5, 3]);
    const rng = createRng(4);
    const weights = [Float64Array.from({ length: 10 }, () => rng.normal()), Float64Array.from({ length: 15 }, () => rng.normal())];
    const x = Float64Array.from({ length: 8 }, () => rng.normal());
    const got = sphereActivationKernel(node.attrs, 8, x, 1, weights);
    expect(got.length).toBe(12);
    // The midpoint rule's own error is O(h^2) ~ 1e-5 here (the MLP's output is larger than silu's).
    expect(maxAbs(got, direct(node, x, weights))).toBeLessThan(3e-5);
    expect(Math.max(...got.map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('is equivariant to below a tenth of the float32 tolerance at the default resolution (L = 1, 2)', () => {
    const rng = createRng(5);
    for (const L of [1, 2]) {
      const ls = Array.from({ length: L + 1 }, (_, l) => l);
      const rep = ls.map((l) => `2x${l}${l % 2 ? 'o' : 'e'}`).join(' + ');
      const node = nodeOf(rep, rep, 'sphere_act(x, act = silu)');
      const dim = 2 * (L + 1) ** 2;
      for (let t = 0; t < 3; t++) {
        const x = Float64Array.from({ length: dim }, () => rng.normal());
        const R = randomRotation(rng);
        const a = rotate(ls, 2, R, sphereActivationKernel(node.attrs, dim, x, 1));
        const b = sphereActivationKernel(node.attrs, dim, rotate(ls, 2, R, x), 1);
        expect(maxAbs(a, b) / Math.max(...a.map(Math.abs))).toBeLessThan(3e-5);
      }
    }
  });

  it('an odd act on an odd signal keeps its parities (e3nn p_out = p_act): 0o + 1e in, 0o + 1e out under inversion', () => {
    const node = nodeOf('1x0o + 1x1e', '1x0o + 1x1e', 'sphere_act(x, act = tanh)');
    const x = Float64Array.from([0.7, -0.3, 0.5, 1.1]);
    const y = sphereActivationKernel(node.attrs, 4, x, 1);
    // Inversion: 0o and 1e pick up -1 and +1; the grid values f(g) become f(-g) times -1.
    const neg = Float64Array.from([-0.7, -0.3, 0.5, 1.1]);
    const yn = sphereActivationKernel(node.attrs, 4, neg, 1);
    expect(Math.abs(yn[0]! + y[0]!)).toBeLessThan(1e-6);
    expect(maxAbs(yn.subarray(1), y.subarray(1))).toBeLessThan(1e-6);
  });
});

describe('sphere_act reverse mode (grad through it)', () => {
  for (const [what, call, out] of [
    ['silu per copy', 'sphere_act(x, act = silu, lmax = 2, resolution = 8)', '2x0e + 2x1o + 2x2e'],
    ['the grid MLP', 'sphere_mlp(x, hidden = [4], out = 3, lmax = 2, resolution = 8)', '3x0e + 3x1o + 3x2e'],
  ] as const) {
    it(`${what}: the VJP matches central differences to 1e-7`, () => {
      const node = nodeOf('2x0e + 2x1o', out, call);
      const rng = createRng(21);
      const sizes = node.attrs.mlp?.sizes ?? [];
      const weights = sizes.slice(1).map((h, i) => Float64Array.from({ length: sizes[i]! * h }, () => rng.normal()));
      const rows = 2;
      const x = Float64Array.from({ length: rows * 8 }, () => rng.normal());
      const dimOut = node.attrs.mulOut * (node.attrs.lmaxOut + 1) ** 2;
      const gOut = Float64Array.from({ length: rows * dimOut }, () => rng.normal());
      const loss = (z: Float64Array) => sphereActivationKernel(node.attrs, 8, z, rows, weights).reduce((s, v, i) => s + v * gOut[i]!, 0);
      const gx = sphereActivationBackward(node.attrs, 8, x, gOut, rows, weights);
      const eps = 1e-5;
      for (let i = 0; i < x.length; i++) {
        const up = Float64Array.from(x);
        const down = Float64Array.from(x);
        up[i] += eps;
        down[i] -= eps;
        expect(Math.abs((loss(up) - loss(down)) / (2 * eps) - gx[i]!)).toBeLessThan(1e-7);
      }
      expect(Math.max(...gx.map(Math.abs))).toBeGreaterThan(0.01);
    });
  }
});

describe('sphere_act on tfjs', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('agrees with the float64 kernel to 1e-5 (3 rows, 2 copies, lmax 2 -> 1)', () => {
    const node = nodeOf('2x0e + 2x1o + 2x2e', '2x0e + 2x1o', 'sphere_act(x, act = silu, lmax = 1)');
    const rng = createRng(9);
    const x = Float64Array.from({ length: 3 * 18 }, () => rng.normal() * 0.7);
    const want = sphereActivationKernel(node.attrs, 18, x, 3);
    const got = tf.tidy(() => sphereActivation(tf.tensor2d(Float32Array.from(x), [3, 18]), node.attrs).dataSync());
    expect(got.length).toBe(want.length);
    expect(maxAbs(Float64Array.from(got), want)).toBeLessThan(1e-5);
  });

  it('sphere_mlp agrees with the float64 kernel to 1e-5 (3 rows, 2 -> [6, 4] -> 3 copies)', () => {
    const node = nodeOf('2x0e + 2x1o + 2x2e', '3x0e + 3x1o + 3x2e', 'sphere_mlp(x, hidden = [6, 4], out = 3)');
    const rng = createRng(10);
    const shapes: [number, number][] = [[2, 6], [6, 4], [4, 3]];
    const weights = shapes.map(([a, b]) => Float64Array.from({ length: a * b }, () => rng.normal()));
    const x = Float64Array.from({ length: 3 * 18 }, () => rng.normal() * 0.7);
    const want = sphereActivationKernel(node.attrs, 18, x, 3, weights);
    const got = tf.tidy(() => sphereActivation(tf.tensor2d(Float32Array.from(x), [3, 18]), node.attrs, weights.map((w) => tf.tensor1d(Float32Array.from(w)))).dataSync());
    expect(got.length).toBe(want.length);
    expect(maxAbs(Float64Array.from(got), want)).toBeLessThan(1e-5);
  });
});
