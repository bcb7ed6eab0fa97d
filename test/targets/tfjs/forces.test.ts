// Forces of the generated tfjs module (tf.grad over the nodes between the positions and the
// energy, in float32) agree with the reference's float64 reverse mode.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { initialParams } from '../../../targets/io/params.js';
import { runTfjs } from '../../../targets/tfjs/runner.js';
import { randomBatch } from './helpers.js';

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
});
