// float32 targets on coordinates far from the origin: a translation is a symmetry of E(n)
// models, so positions are centred per graph in float64 before the cast (targets/io/centre.ts).
// Offset by 1e6, tfjs and wgsl were 4-8% off the float64 reference.

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/compile.js';
import { parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { centrePositions, uncentreOutputs } from '../../../targets/io/centre.js';
import { getRunner } from '../../../targets/registry.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 1e-12;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

describe('positions far from the origin on float32 targets', () => {
  const module = compile('examples/tetris.eqv').ir[0]!;
  const params = initialParams(module, 0);
  const parsed = parseRunInput(JSON.parse(fs.readFileSync('examples/tetris.input.json', 'utf8')), module);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const offset = (b: RuntimeBatch, by: number): RuntimeBatch => ({ ...b, values: new Map([...b.values].map(([k, v]) => [k, k === 'pos' ? v.map((x, i) => x + by * (1 + (i % 3))) : v])) });

  for (const target of ['tfjs', 'wgsl']) {
    it(`${target} agrees with ref to 1e-5 with coordinates offset by 1e6`, async () => {
      const batch = offset(parsed.batch, 1e6);
      const want = (await getRunner('ref')!(module, batch, params, {})).get('y')!;
      const got = (await getRunner(target)!(module, batch, params, target === 'tfjs' ? { backend: 'cpu' } : {})).get('y')!;
      expect(relativeError(got, want)).toBeLessThan(1e-5);
    });
  }

  it('centres each graph, only for groups with translations, and moves position outputs back', () => {
    const batch = offset(parsed.batch, 1e6);
    const c = centrePositions(module, batch);
    const pos = c.batch.values.get('pos')!;
    for (let g = 0; g < batch.numGraphs; g++) {
      for (let k = 0; k < 3; k++) {
        let s = 0;
        for (let i = batch.graphPtr[g]!; i < batch.graphPtr[g + 1]!; i++) s += pos[i * 3 + k]!;
        expect(Math.abs(s)).toBeLessThan(1e-6);
      }
    }
    const rotationsOnly = { ...module, group: { ...module.group, translations: false } };
    expect(centrePositions(rotationsOnly, batch).batch).toBe(batch);
    const withPos = { ...module, outputs: [{ name: 'p', value: 'p', type: module.inputs.find((i) => i.name === 'pos')!.type }] };
    const back = uncentreOutputs(withPos, c, new Map([['p', Float64Array.from(pos)]])).get('p')!;
    expect(relativeError(back, batch.values.get('pos')!)).toBeLessThan(1e-15);
  });
});
