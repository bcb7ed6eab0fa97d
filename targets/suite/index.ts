// What generated equivariance test files import (`eqv/testing`): load a built model's IR and
// weights and get its suite on a target.

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readModule } from '../../ir/validate.js';
import { loadParams } from '../io/params.js';
import { readSafetensors } from '../io/safetensors.js';
import type { EquivarianceSuite } from './suite.js';
import { createSuite } from './fromRegistry.js';

export { EquivarianceSuite } from './suite.js';
export { createSuite } from './fromRegistry.js';
export type { SymmetryResult } from './symmetry.js';
export type { Mutant } from './mutants.js';

const cache = new Map<string, Promise<EquivarianceSuite>>();

function readPath(p: string | URL): string {
  return typeof p === 'string' ? p : fileURLToPath(p);
}

/** The suite of the model in `irPath` with the weights in `weightsPath`, on `target`. */
export function loadSuite(irPath: string | URL, weightsPath: string | URL, target: string, backend?: string): Promise<EquivarianceSuite> {
  const key = `${readPath(irPath)}|${readPath(weightsPath)}|${target}|${backend ?? ''}`;
  let suite = cache.get(key);
  if (!suite) {
    const module = readModule(JSON.parse(fs.readFileSync(readPath(irPath), 'utf8')), readPath(irPath));
    const loaded = loadParams(module, readSafetensors(fs.readFileSync(readPath(weightsPath))).tensors);
    if (!loaded.ok) throw new Error(`the weights do not fit ${module.model}: ${loaded.errors.join('; ')}`);
    suite = createSuite(module, { target, params: loaded.params, ...(backend ? { backend } : {}) });
    cache.set(key, suite);
  }
  return suite;
}
