// The tfjs target: `eqvc build --target tfjs` writes `<Model>.ts`, a TypeScript module for
// TensorFlow.js generated from the IR (render.ts) that imports the runtime library as `eqv/tfjs`.

import type { TargetRenderer } from '../index.js';
import { renderTfjsModule } from './render.js';

export const tfjsTarget: TargetRenderer = {
  name: 'tfjs',
  description: 'a TypeScript module for TensorFlow.js (trainable; cpu, wasm, webgl, webgpu)',
  render: (module) => [{ path: `${module.model}.ts`, contents: renderTfjsModule(module) }],
};
