// TensorFlow.js in the page, loaded on demand (it is the largest download): choosing a backend,
// and running an example's generated tfjs module (src/generated/, built by build.ts) on a batch
// with the same float32 handling as `eqvc run --target tfjs` (positions centred per graph).

import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '../../targets/tfjs/ops/backend.js';
import { assignParams } from '../../targets/tfjs/ops/weights.js';
import { runGenerated } from '../../targets/tfjs/execute.js';
import type { GeneratedModel } from '../../targets/tfjs/load.js';
import { centrePositions, uncentreOutputs } from '../../targets/io/centre.js';
import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from '../../targets/io/inputs.js';
import type { ParamStore } from '../../targets/io/params.js';

/** Starts `wanted`, else the first of the others in `order` that starts; returns its name. */
export async function startBackend(wanted: string, order: readonly string[]): Promise<string> {
  // tfjs's wasm binaries are served beside the page (build.ts copies them).
  setWasmPaths(new URL('./', import.meta.url).href);
  for (const name of [wanted, ...order.filter((b) => b !== wanted)]) {
    try {
      await useBackend(name);
      return name;
    } catch {
      // wasm needs WebAssembly, webgl a WebGL context; cpu always works.
    }
  }
  throw new Error(`no tfjs backend of ${order.join(', ')} could be started`);
}

/** Imports a generated module; its parameters are created on the backend active now. */
export async function loadGenerated(load: () => Promise<unknown>): Promise<GeneratedModel> {
  return (await load()) as GeneratedModel;
}

/** Whether the page's WebGL is drawn in software (SwiftShader, llvmpipe): then wasm is faster. */
export function softwareWebGl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return /swiftshader|llvmpipe|software/i.test(renderer);
}

export async function runOnTfjs(load: () => Promise<unknown>, module: IRModule, batch: RuntimeBatch, params: ParamStore): Promise<{ outputs: Map<string, Float64Array>; backend: string }> {
  // Where WebGPU is missing: webgl on a GPU; wasm (else cpu) where WebGL is itself software.
  const backend = await startBackend(softwareWebGl() ? 'wasm' : 'webgl', ['webgl', 'wasm', 'cpu']);
  const model = await loadGenerated(load);
  assignParams(model.params, params);
  const centred = centrePositions(module, batch);
  return { outputs: uncentreOutputs(module, centred, runGenerated(model, centred.batch)), backend };
}
