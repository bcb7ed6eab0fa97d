// Forces of the generated tfjs module (tf.grad over the nodes between the positions and the
// energy, in float32) agree with the reference's float64 reverse mode.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/io/params.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { randomBatch } from './helpers.js';
import { ATTENTION_POTENTIAL, E2_POTENTIAL, KITCHEN_SINK } from '../forcesModels.js';
import { compileSource } from '../../../compiler/compile.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

describe('tfjs forces agree with ref', () => {
  it('examples/nequip_forces.eqv on the cpu backend, to 1e-5 relative', async () => {
    const module = compile('examples/nequip_forces.eqv').ir[0]!;
    const batch = randomBatch(module, [6, 4, 5], 8, 1.6);
    const params = initialParams(module, 4);
    const ref = evaluate(module, batch, params);
    const tf = await runTfjs(module, batch, params, { backend: 'cpu' });
    expect(relativeError(tf.get('energy')!, ref.get('energy')!)).toBeLessThan(1e-5);
    expect(relativeError(tf.get('forces')!, ref.get('forces')!)).toBeLessThan(1e-5);
    expect(Math.max(...ref.get('forces')!.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  for (const [name, text] of [['a model with every kind of op on the path', KITCHEN_SINK], ['an E(2) potential', E2_POTENTIAL], ['an SE(3) potential with 4 heads of attention', ATTENTION_POTENTIAL]] as const) {
    it(`${name}, to 1e-5 relative`, async () => {
      const module = compileSource(text).ir[0]!;
      const batch = randomBatch(module, [6, 5], 9, 1.3);
      const params = initialParams(module, 6);
      const ref = evaluate(module, batch, params);
      const tf = await runTfjs(module, batch, params, { backend: 'cpu' });
      expect(relativeError(tf.get('f')!, ref.get('f')!)).toBeLessThan(1e-5);
    });
  }
});
