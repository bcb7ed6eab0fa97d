// The wgsl target: `eqvc build --target wgsl` writes one .wgsl file per kernel, the plan that
// binds them and a TypeScript module that runs them (render.ts); `eqvc run --target wgsl` runs
// the kernels through Dawn in this process (runner.ts), `--backend` picking Dawn's backend.

import type { IRModule } from '../../ir/types.js';
import type { Target } from '../target.js';
import { validateModule } from '../../ir/validate.js';
import { wgslRefusal } from './refuses.js';

function refuse(module: IRModule): void {
  const why = wgslRefusal(module);
  if (why) throw new Error(why);
}

export const wgslTarget: Target = {
  name: 'wgsl',
  description: 'WebGPU compute kernels (.wgsl) and a TypeScript module that runs them (browser or Node/Dawn)',
  render: async (module) => {
    validateModule(module);
    refuse(module);
    return (await import('./render.js')).renderWgslFiles(module);
  },
  run: async (module, batch, params, options) => {
    validateModule(module);
    refuse(module);
    const { runWgsl, wgslRunOptions } = await import('./runner.js');
    return runWgsl(module, batch, params, wgslRunOptions(options.backend));
  },
  refuses: wgslRefusal,
};
