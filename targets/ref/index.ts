// The `ref` target: the float64 reference evaluator, the oracle the other targets agree with.
// It writes the IR (what it evaluates) and runs in this process.

import type { Target } from '../target.js';
import { irTarget } from '../ir/index.js';

export const refTarget: Target = {
  name: 'ref',
  description: 'the float64 reference evaluator (writes the IR it evaluates)',
  render: irTarget.render,
  // The evaluator loads on first use, like the other targets' runners (targets/target.ts); it
  // validates the module itself (evaluateAll).
  run: async (module, batch, params) => (await import('./evaluate.js')).evaluate(module, batch, params),
};
