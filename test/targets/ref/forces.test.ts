// The reference evaluator's float64 reverse mode (targets/ref/grad.ts) against central finite
// differences of the reference itself: the forces of `grad` models, and the derivative with
// respect to the positions of a random projection of every output of every example that has
// positions (which puts every op those examples use on the path: harmonics in 2D and 3D,
// radial bases, linear maps, tensor products of every mode with shared and per-sample weights,
// MLPs, gates, norms, gathers, scatters, pools, arithmetic).

import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { createRng } from '../../../stdlib/math/random.js';
import { evaluate, outputPositionsVjp } from '../../../targets/ref/evaluate.js';
import type { RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { exampleModules, randomBatch } from '../tfjs/helpers.js';
import { softOneHotLinspace, softOneHotLinspaceDerivative } from '../../../stdlib/nn/radial.js';
import { ATTENTION_POTENTIAL, E2_POTENTIAL, KITCHEN_SINK } from '../forcesModels.js';

// Central differences, truncation O(H^2 f'''): the potentials agree to 1e-7 with H = 1e-5; the
// deep 2D shape models (bessel n = 8 on a 1.1 cutoff, derivatives of 1e5) need H = 1e-6, where
// rounding (1e-16 |f| / H) is still far below. Small steps also keep clear of the kinks of
// relu, abs and max and of edges crossing the cutoff, which larger stencils step over.
const H_POTENTIAL = 1e-5;
const H_DEEP = 1e-6;

function withPositions(batch: RuntimeBatch, name: string, pos: Float64Array): RuntimeBatch {
  const values = new Map(batch.values);
  values.set(name, pos);
  return { ...batch, values };
}

/** Central differences of Σ seed · output with respect to every position coordinate. */
function finiteDifferences(module: IRModule, batch: RuntimeBatch, params: ReturnType<typeof initialParams>, output: string, seed: Float64Array, H = H_POTENTIAL): Float64Array {
  const posName = module.inputs.find((i) => i.type.kind === 'points')!.name;
  const pos = batch.values.get(posName)!;
  const value = (p: Float64Array) => evaluate(module, withPositions(batch, posName, p), params).get(output)!.reduce((s, v, i) => s + v * seed[i]!, 0);
  const at = (k: number, d: number) => {
    const p = Float64Array.from(pos);
    p[k]! += d;
    return value(p);
  };
  return pos.map((_, k) => (at(k, H) - at(k, -H)) / (2 * H));
}

/** max |a - b| relative to max |b| (with a floor for an all-zero derivative). */
function relativeError(a: Float64Array, b: Float64Array): number {
  let err = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

describe('ref forces agree with central finite differences of the ref energy', () => {
  it('examples/nequip_forces.eqv: forces = -d(energy)/d(pos), to 1e-7 relative', () => {
    const module = compile('examples/nequip_forces.eqv').ir[0]!;
    const batch = randomBatch(module, [5, 4], 3, 1.6);
    const params = initialParams(module, 1);
    const forces = evaluate(module, batch, params).get('forces')!;
    const fd = finiteDifferences(module, batch, params, 'energy', new Float64Array(batch.numGraphs).fill(1));
    expect(relativeError(forces, fd.map((v) => -v))).toBeLessThan(1e-7);
    expect(Math.max(...forces.map(Math.abs))).toBeGreaterThan(1e-3); // not trivially zero
  });

  it('a model with every kind of op on the path (activations, gates, norms, max and mean, arithmetic)', () => {
    const result = compileSource(KITCHEN_SINK);
    expect(result.diagnostics).toEqual([]);
    const module = result.ir[0]!;
    const batch = randomBatch(module, [6, 5], 6, 1.3);
    const params = initialParams(module, 5);
    const f = evaluate(module, batch, params).get('f')!;
    const fd = finiteDifferences(module, batch, params, 'e', new Float64Array(batch.numGraphs).fill(1));
    expect(relativeError(f, fd.map((v) => -v))).toBeLessThan(1e-7);
    expect(Math.max(...f.map(Math.abs))).toBeGreaterThan(1e-4);
  });

  it('an E(2) potential: forces are node[1x1] from circular harmonics', () => {
    const result = compileSource(E2_POTENTIAL);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const module = result.ir[0]!;
    expect(module.outputs[1]!.type).toMatchObject({ kind: 'field', domain: 'node', rep: { text: '1x1' } });
    const batch = randomBatch(module, [6, 5], 4, 1.4);
    const params = initialParams(module, 2);
    const f = evaluate(module, batch, params).get('f')!;
    const fd = finiteDifferences(module, batch, params, 'e', new Float64Array(batch.numGraphs).fill(1));
    expect(relativeError(f, fd.map((v) => -v))).toBeLessThan(1e-7);
  });
});

describe('ref forces through attention (the segment softmax\'s VJP)', () => {
  it('an SE(3) potential with 4 heads of attention: forces node[1x1], to 1e-7 relative', () => {
    const result = compileSource(ATTENTION_POTENTIAL);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const module = result.ir[0]!;
    const batch = randomBatch(module, [6, 5], 7, 1.3);
    const params = initialParams(module, 8);
    const f = evaluate(module, batch, params).get('f')!;
    const fd = finiteDifferences(module, batch, params, 'e', new Float64Array(batch.numGraphs).fill(1));
    expect(relativeError(f, fd.map((v) => -v))).toBeLessThan(1e-7);
    expect(Math.max(...f.map(Math.abs))).toBeGreaterThan(1e-4);
  });
});

describe('the reverse mode of every op on a path from positions agrees with finite differences', () => {
  const rng = createRng(5);
  for (const { file, module } of exampleModules()) {
    if (!module.inputs.some((i) => i.type.kind === 'points')) continue;
    // perm_linear and frame_average have no reverse mode (grad refuses them: E1104); forces and stresses are not differentiated again.
    if (module.nodes.some((n) => n.op === 'perm_linear' || n.op === 'frame_average')) continue;
    // Dense graphs, so no node is isolated (its zero features would sit on kinks of |x|).
    const batch = randomBatch(module, [5, 4], 11, 1.2);
    const params = initialParams(module, 3);
    const fromGrad = new Set<string>();
    for (const n of module.nodes) if (n.op === 'grad' || n.op === 'stress' || n.inputs.some((i) => fromGrad.has(i))) fromGrad.add(n.id);
    for (const o of module.outputs) {
      if (fromGrad.has(o.value)) continue; // second derivatives are not supported (E1104)
      it(`${file}: d(c · ${o.name})/d(pos)`, () => {
        const value = evaluate(module, batch, params).get(o.name)!;
        const seed = value.map(() => rng.normal());
        const vjp = outputPositionsVjp(module, batch, params, o.name, seed);
        const fd = finiteDifferences(module, batch, params, o.name, seed, H_DEEP);
        expect(relativeError(vjp, fd)).toBeLessThan(1e-6);
      });
    }
  }
});

describe('radial bases: closed-form derivatives against finite differences', () => {
  for (const basis of ['gaussian', 'cosine', 'smooth_finite', 'fourier', 'bessel'] as const) {
    for (const cutoff of [true, false]) {
      it(`${basis}, cutoff ${cutoff}`, () => {
        const attrs = { basis, number: 5, start: 0, end: 1.5, cutoff };
        const x = Float64Array.from({ length: 40 }, (_, i) => 0.013 + (i * 1.6) / 40);
        const d = softOneHotLinspaceDerivative(x, attrs);
        const h = 1e-6;
        const plus = softOneHotLinspace(x.map((v) => v + h), attrs);
        const minus = softOneHotLinspace(x.map((v) => v - h), attrs);
        const fd = plus.map((v, i) => (v - minus[i]!) / (2 * h));
        expect(relativeError(d, fd)).toBeLessThan(1e-6);
      });
    }
  }
});
