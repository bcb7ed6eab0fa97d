// Two e3nn conventions without weights (test/fixtures/e3nn/, real e3nn 0.5.6):
// - the stress basis: e3nn's io.CartesianTensor("ij=ji").from_cartesian against eqv's six
//   components of a symmetric tensor (stdlib/groups/o3/symmetricTensor.ts, used by `stress` in
//   ref and tfjs). The change of basis e3nn = M · eqv, solved for by the generator, is the
//   identity: the two bases are the same, order and signs included.
// - nn.Dropout's statistics against eqv's dropout in tfjs training mode: the same two factors
//   (0 and 1/(1 - p)), one factor per whole copy, the same kept fraction within sampling error,
//   and the identity in evaluation.

import { describe, expect, it } from 'vitest';
import { symmetricComponents, symmetricFromComponents } from '../../../stdlib/groups/o3/symmetricTensor.js';
import { loadModel } from '../../../targets/tfjs/load.js';
import { useBackend } from '../../../targets/tfjs/ops/backend.js';
import { runGenerated } from '../../../targets/tfjs/runner.js';
import { createRng } from '../../../stdlib/math/random.js';
import { compileOne, nodeBatch, readFixture, scaledError } from './harness.js';

interface CartesianFixture {
  formula: string;
  irreps: string;
  sigma: number[][][];
  e3nn: number[][];
  eqv_to_e3nn: number[][];
}
interface DropoutFixture {
  irreps: string;
  p: number;
  rows: number;
  copies: [number, number][];
  factor_values: number[];
  max_spread_within_copy: number;
  kept_fraction: number;
  eval_is_identity: boolean;
}

describe('stress basis against e3nn 0.5.6 CartesianTensor("ij=ji")', () => {
  const fx = readFixture<CartesianFixture>('cartesian.json');

  it('the change of basis from eqv to e3nn is the identity (same order, same signs)', () => {
    expect(fx.irreps).toBe('1x0e+1x2e');
    const I = [0, 1, 2, 3, 4, 5].map((i) => [0, 1, 2, 3, 4, 5].map((j) => (i === j ? 1 : 0)));
    expect(scaledError(fx.eqv_to_e3nn.flat(), I.flat())).toBeLessThan(1e-12);
  });

  it("eqv's components of each symmetric tensor are e3nn's from_cartesian to 1e-12, and map back", () => {
    fx.sigma.forEach((s, i) => {
      const c = symmetricComponents(s.flat());
      expect(scaledError(c, fx.e3nn[i]!)).toBeLessThan(1e-12);
      expect(scaledError(symmetricFromComponents(fx.e3nn[i]!), s.flat())).toBeLessThan(1e-12);
    });
  });
});

describe('dropout against e3nn 0.5.6 nn.Dropout (statistics)', () => {
  const fx = readFixture<DropoutFixture>('dropout.json');

  it("e3nn's masks: factors 0 and 1/(1 - p), constant over each copy", () => {
    expect(fx.factor_values).toEqual([0, Number((1 / (1 - fx.p)).toFixed(12))]);
    expect(fx.max_spread_within_copy).toBeLessThan(1e-12);
    expect(fx.eval_is_identity).toBe(true);
  });

  it('eqv (tfjs, training mode) drops the same units with the same factors and rate', async () => {
    const module = compileOne(`model M : O(3) {\n  in x: node[${fx.irreps}]\n  out y: node[${fx.irreps}]\n  y = dropout(x, p = ${fx.p})\n}\n`);
    const dim = fx.copies.at(-1)![0] + fx.copies.at(-1)![1];
    const rng = createRng(11);
    // Away from 0, so that y / x is the factor.
    const rows = Array.from({ length: fx.rows }, () => Array.from({ length: dim }, () => 3 + rng.normal()));
    const batch = nodeBatch({ x: rows });
    await useBackend('cpu');
    const model = await loadModel(module);
    model.setTraining!(true);
    const y = runGenerated(model, batch).get('y')!;
    model.setTraining!(false);
    let kept = 0;
    const factors = new Set<number>();
    for (let r = 0; r < fx.rows; r++) {
      for (const [o, n] of fx.copies) {
        const f = Array.from({ length: n }, (_, i) => y[r * dim + o + i]! / rows[r]![o + i]!);
        for (const v of f) expect(Math.abs(v - f[0]!)).toBeLessThan(1e-6);
        factors.add(Math.round(f[0]! * 1e5) / 1e5);
        if (f[0]! > 0) kept++;
      }
    }
    expect([...factors].sort()).toEqual(fx.factor_values.map((v) => Math.round(v * 1e5) / 1e5));
    // 2400 copies: each kept fraction has standard deviation 0.0088, their difference 0.0125 (4 sigma: 0.05).
    const fraction = kept / (fx.rows * fx.copies.length);
    expect(Math.abs(fraction - fx.kept_fraction)).toBeLessThan(0.05);
    expect(Math.abs(fraction - (1 - fx.p))).toBeLessThan(0.035);
    const evalOut = runGenerated(model, batch).get('y')!;
    expect(scaledError(evalOut, rows.flat())).toBeLessThan(1e-6);
  });
});
