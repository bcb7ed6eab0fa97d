// The tfjs target: `eqvc build --target tfjs` writes `<Model>.ts`, a TypeScript module for
// TensorFlow.js generated from the IR (render.ts) that imports its op library as `eqv/tfjs`;
// `eqvc run --target tfjs` runs that module in this process (runner.ts).

import type { Target } from '../target.js';
import { validateModule } from '../../ir/validate.js';

export const tfjsTarget: Target = {
  name: 'tfjs',
  description: 'a TypeScript module for TensorFlow.js (trainable; cpu, wasm, webgl, webgpu)',
  render: async (module) => {
    validateModule(module);
    return [{ path: `${module.model}.tfjs.ts`, contents: (await import('./render.js')).renderTfjsModule(module) }];
  },
  run: async (module, batch, params, options) => {
    validateModule(module);
    return (await import('./runner.js')).runTfjs(module, batch, params, options);
  },
};
