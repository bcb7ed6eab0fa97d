// The wasm target: `eqvc run --target wasm` runs a module's forward pass in this process in
// float32, its hot ops (tensor products and convolutions, linear maps, MLPs, spherical
// harmonics) as generated WebAssembly SIMD128 kernels on worker threads (docs/wasm.md).
// `--backend single` keeps to one thread. It writes the IR it runs, like `ref`.

import type { Target } from '../target.js';
import { irTarget } from '../ir/index.js';
import { validateModule } from '../../ir/validate.js';

export const wasmTarget: Target = {
  name: 'wasm',
  description: 'generated WebAssembly SIMD128 kernels, float32, multithreaded (runs in this process; writes the IR)',
  render: irTarget.render,
  run: async (module, batch, params, options) => {
    validateModule(module);
    const { wasmRuntime, defaultThreads } = await import('./runtime.js');
    const { runWasmModule } = await import('./evaluate.js');
    const backend = options.backend ?? 'threads';
    if (backend !== 'threads' && backend !== 'single') throw new Error(`the wasm target's backends are 'threads' (default) and 'single', not '${backend}'`);
    return runWasmModule(wasmRuntime(backend === 'single' ? 1 : defaultThreads()), module, batch, params);
  },
};
