// The `ref` target: the float64 reference evaluator, the oracle the other targets agree with.
// It writes the IR (what it evaluates) and runs in this process.

import type { Target } from '../target.js';
import { validateModule } from '../../ir/validate.js';
import { renderIrJson } from '../ir/render.js';

export const refTarget: Target = {
  name: 'ref',
  description: 'the float64 reference evaluator (writes the IR it evaluates)',
  render: async (module) => {
    validateModule(module);
    return [{ path: `${module.model}.ir.json`, contents: renderIrJson(module) }];
  },
  // The evaluator loads on first use, like the other targets' runners (targets/target.ts).
  run: async (module, batch, params) => {
    validateModule(module);
    return (await import('./evaluate.js')).evaluate(module, batch, params);
  },
};
