// The 2D groups on every target: circular harmonics in each normalization (with 2D radius
// graphs), O(2) and SO(2) tensor products of graph-level features, and the two shape
// classifiers of examples/ agree between the float64 reference and tfjs and WGSL (float32) to
// 1e-5 relative to the output's size; the point-free models pass their equivariance suites on
// every target with every mutant caught.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { getRunner } from '../../../targets/registry.js';
import { initialParams } from '../../../targets/io/params.js';
import { createSuite } from '../../../targets/suite/fromRegistry.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { randomBatch, relativeError } from '../wgsl/helpers.js';
import { O2_PRODUCTS, SO2_PRODUCTS, compileModel, harmonicsSource } from './models.js';

const TOLERANCE = 1e-5;

const models: { label: string; module: IRModule }[] = [
  { label: 'E(2) harmonics, component', module: compileModel(harmonicsSource('E(2)', '')) },
  { label: 'E(2) harmonics, norm', module: compileModel(harmonicsSource('E(2)', ', normalization = norm')) },
  { label: 'SE(2) harmonics, integral', module: compileModel(harmonicsSource('SE(2)', ', normalization = integral')) },
  { label: 'SE(2) harmonics, not normalized', module: compileModel(harmonicsSource('SE(2)', ', normalize = false')) },
  { label: 'O(2) products', module: compileModel(O2_PRODUCTS) },
  { label: 'SO(2) products', module: compileModel(SO2_PRODUCTS) },
  { label: 'examples/e2_shapes.eqv', module: compile('examples/e2_shapes.eqv').ir[0]! },
  { label: 'examples/se2_shapes.eqv', module: compile('examples/se2_shapes.eqv').ir[0]! },
];

describe('2D models agree with the reference on tfjs and wgsl', () => {
  for (const { label, module } of models) {
    it(label, async () => {
      await useBackend('cpu');
      const tfjs = getRunner('tfjs')!;
      const params = initialParams(module, 4);
      // 3 graphs of 5, 7 and 9 points in a square of side 2.5: a few neighbours within r = 1.1 or 1.5.
      const batch = randomBatch(module, 13, 3, (g) => 5 + 2 * g, 2.5);
      const ref = evaluate(module, batch, params);
      const fromTfjs = await tfjs(module, batch, params, { backend: 'cpu' });
      const fromWgsl = await runWgsl(module, batch, params);
      for (const [name, expected] of ref) {
        expect(expected.some((v) => v !== 0), `${label}: output ${name} is not all zero`).toBe(true);
        expect(relativeError(fromTfjs.get(name) ?? [], expected), `${label}, tfjs, ${name}`).toBeLessThan(TOLERANCE);
        expect(relativeError(fromWgsl.get(name) ?? [], expected), `${label}, wgsl, ${name}`).toBeLessThan(TOLERANCE);
      }
    });
  }
});

describe('point-free O(2) and SO(2) models pass their equivariance suites', () => {
  for (const source of [O2_PRODUCTS, SO2_PRODUCTS]) {
    const module = compileModel(source);
    for (const target of ['ref', 'tfjs', 'wgsl']) {
      it(`${module.model} (${module.group.name}) on ${target}`, async () => {
        const suite = await createSuite(module, { target, params: initialParams(module, 0), ...(target === 'tfjs' ? { backend: 'cpu' } : {}) });
        for (const seed of [1, 2, 3]) {
          const r = await suite.checkGroup(seed);
          expect(r.error, `seed ${seed}`).toBeLessThanOrEqual(r.tolerance);
        }
        const mutants = await suite.mutants();
        expect(mutants.map((m) => m.name)).toContain('cg-sign');
        for (const m of mutants) {
          const result = await suite.checkMutant(m, [1, 2, 3]);
          expect(result.caught, `${m.name}: ${m.description}`).toBe(true);
        }
      });
    }
  }
});
