// A suite on a target named in the registry (targets/registry.ts): what `eqvc test`, the
// generated test files (through loadSuite) and the tests use. Kept apart from suite.ts so that
// a page can build a suite from its own runner without loading every target.

import type { IRModule } from '../../ir/types.js';
import { getRunner, runnerNames } from '../registry.js';
import { EquivarianceSuite, type SuiteOptions } from './suite.js';

export async function createSuite(module: IRModule, options: SuiteOptions): Promise<EquivarianceSuite> {
  const runner = getRunner(options.target);
  if (!runner) throw new Error(`no runner for target ${options.target}; available: ${runnerNames().join(', ')}`);
  return EquivarianceSuite.withRunner(module, options, runner);
}
