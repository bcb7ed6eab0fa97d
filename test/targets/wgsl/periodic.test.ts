// examples/periodic.eqv on wgsl against ref: the energy (wgsl has no gradients, so the model
// runs without its forces and stress outputs), periodic edges' shift·cell offsets from the host.

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileSource } from '../../../compiler/compile.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { parseRunInput, type RuntimeBatch } from '../../../targets/io/inputs.js';
import { initialParams } from '../../../targets/io/params.js';
import { runWgsl } from '../../../targets/wgsl/runner.js';
import { relativeError } from './helpers.js';

const FILE = 'examples/periodic.eqv';
const INPUT = JSON.parse(fs.readFileSync('examples/periodic.input.json', 'utf8')) as unknown;

function batchOf(module: Parameters<typeof parseRunInput>[1], json: unknown): RuntimeBatch {
  const parsed = parseRunInput(json, module);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.batch;
}

describe('examples/periodic.eqv on wgsl', () => {
  const module = compile(FILE).ir[0]!;
  const params = initialParams(module, 2);
  const batch = batchOf(module, INPUT);
  it('wgsl agrees with ref on the energy to 1e-5 (the model without its gradient outputs)', async () => {
    const source = fs.readFileSync(FILE, 'utf8').split('\n').filter((line) => !/^\s*(out )?(forces|sigma)\b/.test(line)).join('\n');
    const energyOnly = compileSource(source, FILE).ir[0]!;
    const p = initialParams(energyOnly, 2);
    const b = batchOf(energyOnly, INPUT);
    const ref = evaluate(energyOnly, b, p);
    const got = await runWgsl(energyOnly, b, p, {});
    expect(relativeError(got.get('energy')!, ref.get('energy')!)).toBeLessThan(1e-5);
    // The same weights give the same energy as the full model's.
    expect(relativeError(ref.get('energy')!, evaluate(module, batch, params).get('energy')!)).toBeLessThan(1e-12);
  });

});
