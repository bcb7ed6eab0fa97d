// `eqvc run --target wgsl`: plan the module, run it through the host runtime on a shared
// device (Dawn in Node), and return the outputs like every runner. Compiled models are cached
// per module and style, so repeated runs (tests, benchmarks) compile their kernels once.

import type { IRModule } from '../../ir/types.js';
import type { RuntimeBatch } from '../io/inputs.js';
import type { ParamStore } from '../io/params.js';
import { centrePositions, uncentreOutputs } from '../io/centre.js';
import { planModule } from './lower.js';
import { DEFAULT_STYLE, type KernelStyle } from './plan.js';
import { WgslModel, type WgslModelOptions } from './host/model.js';

const models = new WeakMap<IRModule, Map<string, Promise<WgslModel>>>();

/** A compiled model for an IR module (cached per module object, style and options). */
export function wgslModel(module: IRModule, style: KernelStyle = DEFAULT_STYLE, options: WgslModelOptions = {}): Promise<WgslModel> {
  let byKey = models.get(module);
  if (!byKey) {
    byKey = new Map();
    models.set(module, byKey);
  }
  const key = JSON.stringify([style, options.maxBindingBytes ?? null, options.backend ?? null]);
  let m = byKey.get(key);
  if (!m) {
    m = WgslModel.create(planModule(module, style), options);
    m.catch(() => byKey!.delete(key));
    byKey.set(key, m);
  }
  return m;
}

export async function runWgsl(module: IRModule, batch: RuntimeBatch, params: ParamStore, options: WgslModelOptions & { style?: KernelStyle } = {}): Promise<Map<string, Float64Array>> {
  const model = await wgslModel(module, options.style, options);
  model.setParams(params);
  // float32: positions centred per graph in float64 first (targets/io/centre.ts).
  const centred = centrePositions(module, batch);
  return uncentreOutputs(module, centred, await model.run(centred.batch));
}

/** `eqvc run --backend` for wgsl: Dawn's backend (default, vulkan or opengl). */
export function wgslRunOptions(backend: string | undefined): WgslModelOptions {
  if (backend === undefined) return {};
  if (backend !== 'default' && backend !== 'vulkan' && backend !== 'opengl') throw new Error(`the wgsl target's backends are default, vulkan and opengl, not ${backend}`);
  return { backend };
}
